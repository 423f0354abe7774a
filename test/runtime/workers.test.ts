import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { startServer, type TestServer } from '../helpers/server.js';
import { appRequest, deploy } from './app-client.js';

const STORAGE_APP = `export default (req) => {
  let err = null;
  try { fazt.app.kv.get(""); } catch (e) { err = e.message; }
  fazt.app.kv.set("n", (fazt.app.kv.get("n") || 0) + 1);
  fazt.app.s3.put("b.bin", new Uint8Array([1, 2, 250]), "application/octet-stream");
  const b = fazt.app.s3.get("b.bin");
  fazt.log.info("served", { n: fazt.app.kv.get("n") });
  return { body: { n: fazt.app.kv.get("n"), err, bytes: Array.from(b.data), isBytes: b.data instanceof Uint8Array } };
}`;

describe('runtime: sandbox worker threads', () => {
  let s: TestServer;
  before(async () => {
    s = await startServer();
  });
  after(() => s.close());

  it('answers calm apps while another app loops, long before its 503', async () => {
    assert.equal((await deploy(s, 'loop', { 'api/main.js': 'export default () => { while (true) {} }', 'manifest.json': '{"limits": {"timeoutMs": 3000}}' })).status, 200);
    for (const slug of ['calm1', 'calm2']) assert.equal((await deploy(s, slug, { 'api/main.js': `export default () => ({ body: "${slug}" })` })).status, 200);
    const order: string[] = [];
    const loop = appRequest(s, 'loop', '/api/x').then((r) => (order.push('loop'), r));
    await sleep(300); // let the loop start first
    for (const slug of ['calm1', 'calm2', 'calm1']) {
      const r = await appRequest(s, slug, '/api/x');
      assert.equal(r.text, slug);
      order.push(slug);
    }
    // A burst in parallel goes to the free worker too, not behind the loop.
    const burst = await Promise.all(Array.from({ length: 8 }, (_, i) => appRequest(s, i % 2 ? 'calm1' : 'calm2', '/api/x').then((r) => (order.push('burst'), r.text))));
    assert.deepEqual(burst, Array.from({ length: 8 }, (_, i) => (i % 2 ? 'calm1' : 'calm2')));
    const looped = await loop;
    assert.equal(looped.status, 503);
    assert.equal(looped.json.error.code, 'APP_TIMEOUT');
    assert.deepEqual(order, ['calm1', 'calm2', 'calm1', ...Array(8).fill('burst'), 'loop']);
  });

  it('gives app code in a worker the same synchronous storage, bytes, errors and logs', async () => {
    assert.equal((await deploy(s, 'store', { 'api/main.js': STORAGE_APP })).status, 200);
    const a = await appRequest(s, 'store', '/api/x');
    const b = await appRequest(s, 'store', '/api/x');
    assert.deepEqual(a.json, { n: 1, err: 'key must be a non-empty string', bytes: [1, 2, 250], isBytes: true });
    assert.equal(b.json.n, 2);
    const logs = await s.op('logs.query', { app: 'store', grep: 'served' });
    assert.equal(logs.status, 200);
    assert.ok(JSON.stringify(logs.body).includes('served'));
  });

  it('serves overlapping requests of one app from separate contexts, each with its own request', async () => {
    await deploy(s, 'slow', { 'api/main.js': 'let mine; export default async (req) => { mine = req.query.n; await new Promise((r) => setTimeout(r, 30)); return { body: { n: mine, seen: globalThis.n ?? null } } }' });
    const replies = await Promise.all([1, 2, 3, 4, 5].map((n) => appRequest(s, 'slow', `/api/x?n=${n}`)));
    assert.deepEqual(replies.map((r) => r.json), [1, 2, 3, 4, 5].map((n) => ({ n: String(n), seen: null })));
  });

  it('replaces a sandbox worker that died; its invocations fail, later ones are served', async () => {
    await deploy(s, 'wait', { 'api/main.js': 'export default async () => { await new Promise((r) => setTimeout(r, 2000)); return { body: "late" } }' });
    await deploy(s, 'ok', { 'api/main.js': 'export default () => ({ body: "ok" })' });
    const pending = appRequest(s, 'wait', '/api/x');
    const workers = () => (s.kernel.services.runtime.sandboxes as unknown as { workers: { busy: number; worker: { terminate(): Promise<number> } }[] }).workers;
    for (let i = 0; i < 100 && !workers().some((w) => w.busy > 0); i++) await sleep(20);
    const busy = workers().find((w) => w.busy > 0);
    assert.ok(busy, 'one worker runs the waiting request');
    await busy.worker.terminate();
    const lost = await pending;
    assert.equal(lost.status, 500);
    assert.match(lost.json.error.message, /sandbox worker stopped/);
    for (let i = 0; i < 3; i++) assert.equal((await appRequest(s, 'ok', '/api/x')).text, 'ok');
    assert.equal(workers().length, 2);
  });

  it('serves the new code after a redeploy', async () => {
    await deploy(s, 'ver', { 'api/main.js': 'export default () => ({ body: "v1" })' });
    assert.equal((await appRequest(s, 'ver', '/api/x')).text, 'v1');
    await deploy(s, 'ver', { 'api/main.js': 'export default () => ({ body: "v2" })' });
    assert.equal((await appRequest(s, 'ver', '/api/x')).text, 'v2');
  });
});

describe('runtime: in the main thread (runtime.workers = 0)', () => {
  let s: TestServer;
  before(async () => {
    s = await startServer({ extra: { 'runtime.workers': '0' } });
  });
  after(() => s.close());

  it('serves requests with storage and reports a runaway as 503', async () => {
    assert.equal((await deploy(s, 'store', { 'api/main.js': STORAGE_APP })).status, 200);
    assert.deepEqual((await appRequest(s, 'store', '/api/x')).json, { n: 1, err: 'key must be a non-empty string', bytes: [1, 2, 250], isBytes: true });
    await deploy(s, 'loop', { 'api/main.js': 'export default () => { while (true) {} }', 'manifest.json': '{"limits": {"timeoutMs": 100}}' });
    assert.equal((await appRequest(s, 'loop', '/api/x')).status, 503);
    assert.equal((await appRequest(s, 'store', '/api/x')).json.n, 2);
  });
});
