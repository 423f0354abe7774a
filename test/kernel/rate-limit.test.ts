import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startServer, type TestServer } from '../helpers/server.js';

let s: TestServer;
before(async () => (s = await startServer({ rateLimitPerMinute: 5 })));
after(() => s.close());

test('a capability token past its per-minute limit gets 429 with Retry-After; the owner is not limited', async () => {
  const { token } = s.kernel.tokens.create('chatty', 'token', ['kernel:apps:read'], null);
  const statuses: number[] = [];
  let retryAfter: string | null = null;
  for (let i = 0; i < 7; i++) {
    const res = await fetch(`${s.url}/api/ops/apps.list`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: '{}' });
    statuses.push(res.status);
    if (res.status === 429) retryAfter = res.headers.get('retry-after');
    await res.text();
  }
  assert.deepEqual(statuses, [200, 200, 200, 200, 200, 429, 429]);
  assert.ok(Number(retryAfter) > 0 && Number(retryAfter) <= 60);
  for (let i = 0; i < 7; i++) assert.equal((await s.op('apps.list')).status, 200);
});
