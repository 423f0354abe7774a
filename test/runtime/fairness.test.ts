import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { startServer, type TestServer } from '../helpers/server.js';
import { appRequest, deploy, type Reply } from './app-client.js';

const LOOP = 'export default () => { while (true) {} }';
const CALM = 'export default () => ({ body: "calm" })';
const loopManifest = (timeoutMs: number) => JSON.stringify({ limits: { timeoutMs } });

/** Sends `n` requests to a slug at once; each answer is pushed to `order` as it arrives. */
function burst(s: TestServer, slug: string, n: number, order: string[]): Promise<Reply[]> {
  return Promise.all(Array.from({ length: n }, () => appRequest(s, slug, '/api/x').then((r) => (order.push(slug), r))));
}

describe('runtime: one app cannot starve the others (2 workers)', () => {
  let s: TestServer;
  before(async () => {
    s = await startServer({ extra: { 'runtime.workers': '2', 'runtime.maxWorkers': '2' } });
    assert.equal((await deploy(s, 'loop', { 'api/main.js': LOOP, 'manifest.json': loopManifest(1500) })).status, 200);
    assert.equal((await deploy(s, 'loop2', { 'api/main.js': LOOP, 'manifest.json': loopManifest(1500) })).status, 200);
    assert.equal((await deploy(s, 'calm', { 'api/main.js': CALM })).status, 200);
  });
  after(() => s.close());

  it('answers a calm app while six requests to a looping app are in flight, before any of them ends', async () => {
    const order: string[] = [];
    const loops = burst(s, 'loop', 6, order);
    await sleep(200); // the looping requests arrive first
    const calm = await appRequest(s, 'calm', '/api/x').then((r) => (order.push('calm'), r));
    assert.equal(calm.status, 200);
    assert.equal(calm.text, 'calm');
    assert.equal(order[0], 'calm', `answers in order: ${order.join(', ')}`);
    for (const r of await loops) {
      assert.equal(r.status, 503);
      assert.equal(r.json.error.code, 'APP_TIMEOUT');
    }
  });

  it('serves two looping apps in turn rather than one after the other', async () => {
    const order: string[] = [];
    const a = burst(s, 'loop', 3, order);
    await sleep(100);
    const b = burst(s, 'loop2', 3, order);
    await Promise.all([a, b]);
    // Each app holds one worker at a time, so their answers interleave.
    assert.deepEqual(order.slice(0, 2).sort(), ['loop', 'loop2'], order.join(', '));
  });
});

describe('runtime: an app whose own queue is full is told to come back', () => {
  let s: TestServer;
  before(async () => {
    s = await startServer({ extra: { 'runtime.workers': '2', 'runtime.maxWorkers': '2', 'runtime.appQueue': '2' } });
    assert.equal((await deploy(s, 'loop', { 'api/main.js': LOOP, 'manifest.json': loopManifest(1500) })).status, 200);
    assert.equal((await deploy(s, 'calm', { 'api/main.js': CALM })).status, 200);
  });
  after(() => s.close());

  it('answers 503 APP_BUSY with Retry-After past the queue bound, before the queued ones run', async () => {
    const order: string[] = [];
    const replies = Array.from({ length: 5 }, () => appRequest(s, 'loop', '/api/x').then((r) => (order.push(r.json.error.code), r)));
    const all = await Promise.all(replies);
    const busy = all.filter((r) => r.json.error.code === 'APP_BUSY');
    // One runs, two wait, the other two are turned away at once.
    assert.equal(busy.length, 2, order.join(', '));
    assert.deepEqual(order.slice(0, 2), ['APP_BUSY', 'APP_BUSY']);
    for (const r of busy) {
      assert.equal(r.status, 503);
      assert.equal(r.headers['retry-after'], '2');
      assert.match(r.json.error.message, /'loop' is busy/);
    }
    assert.equal(all.filter((r) => r.json.error.code === 'APP_TIMEOUT').length, 3);
    assert.equal((await appRequest(s, 'calm', '/api/x')).status, 200);
  });
});

describe('runtime: more workers on demand', () => {
  let s: TestServer;
  before(async () => {
    s = await startServer({ extra: { 'runtime.workers': '2', 'runtime.maxWorkers': '4' } });
    for (const slug of ['loopa', 'loopb']) assert.equal((await deploy(s, slug, { 'api/main.js': LOOP, 'manifest.json': loopManifest(3000) })).status, 200);
    assert.equal((await deploy(s, 'calm', { 'api/main.js': CALM })).status, 200);
  });
  after(() => s.close());

  it('starts another worker for a calm app while two apps loop on the configured two', async () => {
    const order: string[] = [];
    const loops = Promise.all([burst(s, 'loopa', 2, order), burst(s, 'loopb', 2, order)]);
    await sleep(200);
    const calm = await appRequest(s, 'calm', '/api/x').then((r) => (order.push('calm'), r));
    assert.equal(calm.status, 200);
    assert.equal(order[0], 'calm', order.join(', '));
    await loops;
    const load = (s.kernel.services.runtime.sandboxes as unknown as { load(): { workers: number } }).load();
    assert.ok(load.workers > 2 && load.workers <= 4, `workers: ${load.workers}`);
  });
});
