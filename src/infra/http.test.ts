import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ProviderHttp } from './http.js';
import { RateLimits } from './rate-limits.js';

test('a call stopped while it waits out a 429 ends as INFRA_CANCELED, and the wait was not skipped', async () => {
  let hits = 0;
  const srv = createServer((_req, res) => {
    hits++;
    res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '20' });
    res.end('{"message":"slow down"}');
  });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const ac = new AbortController();
  const http = new ProviderHttp({ provider: 'test', baseUrl: `http://127.0.0.1:${(srv.address() as AddressInfo).port}`, headers: {}, rateLimits: new RateLimits(), signal: ac.signal });
  const call = http.request('GET', '/x');
  // Stop once the first answer arrived and the client is waiting.
  while (hits === 0) await new Promise((r) => setImmediate(r));
  ac.abort();
  await assert.rejects(call, (e: { code?: string }) => e.code === 'INFRA_CANCELED');
  assert.equal(hits, 1);
  await new Promise<void>((r) => srv.close(() => r()));
});
