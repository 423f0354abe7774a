import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startServer, type TestServer } from '../../../test/helpers/server.js';
import { AppErrors } from '../app-errors.js';
import { RequestMetrics } from '../request-metrics.js';
import { appsCollector } from './apps.js';
import { certsCollector } from './certs.js';
import type { CollectContext, Collector } from './define.js';
import { hostCollector } from './host.js';
import { httpCollector } from './http.js';
import { processCollector } from './process.js';
import { safetyCollector } from './safety.js';
import { rowCount, storageCollector } from './storage.js';

let s: TestServer;
before(async () => {
  s = await startServer({ extra: { 'pulse.interval': '1h' } });
});
after(() => s.close());

function ctx(over: Partial<CollectContext> = {}): CollectContext {
  return {
    kernel: s.kernel, now: Date.now(), lastBeatAt: null,
    http: new RequestMetrics().take(), appErrors: {}, state: {}, signal: new AbortController().signal, ...over,
  };
}
const run = (c: Collector, over: Partial<CollectContext> = {}) => Promise.resolve(c.collect(ctx(over))) as Promise<any>;

test('process: memory, event loop, and CPU share from the second beat on', async () => {
  const state = {};
  const first = await run(processCollector, { state });
  assert.ok(first.rssMb > 1 && first.heapUsedMb > 0 && first.heapTotalMb >= first.heapUsedMb);
  assert.equal(first.cpuPercent, null, 'no baseline yet');
  let x = 0;
  for (let i = 0; i < 2e6; i++) x += i;
  assert.ok(x > 0);
  const second = await run(processCollector, { state });
  assert.equal(typeof second.cpuPercent, 'number');
  assert.ok(second.cpuPercent >= 0);
  assert.ok(second.eventLoopP99Ms >= 0);
});

test('host: load, memory and the data dir volume', async () => {
  const h = await run(hostCollector);
  assert.equal(h.load1 >= 0, true);
  assert.ok(h.memory.totalMb > 0 && h.memory.percent > 0 && h.memory.percent <= 100);
  assert.equal(h.disk.path, s.dataDir);
  assert.ok(h.disk.totalGb > 0 && h.disk.percent > 0 && h.disk.percent <= 100);
  assert.ok(h.disk.freeGb <= h.disk.totalGb);
});

test('http: totals and per-app stats from the request window', async () => {
  const m = new RequestMetrics();
  for (let i = 0; i < 4; i++) m.observe({ appId: 'a1', slug: 'shop', kind: 'static', method: 'GET', path: '/', status: i ? 200 : 503, durationMs: 3, bytes: 1, requestId: 'r' });
  const h = await run(httpCollector, { http: m.take() });
  assert.equal(h.requests, 4);
  assert.equal(h.errors5xx, 1);
  assert.equal(h.errorRate, 25);
  assert.equal(h.bySlug.shop.requests, 4);
  assert.ok(!('appId' in h.bySlug.shop));
});

test('apps: active, idle and erroring counts with sandbox errors and limit hits', async () => {
  const deploy = await s.op('apps.create', { name: 'shop' });
  assert.equal(deploy.status, 200, JSON.stringify(deploy.body));
  await s.op('apps.create', { name: 'blog' });
  const m = new RequestMetrics();
  m.observe({ appId: null, slug: 'shop', kind: 'api', method: 'GET', path: '/api/x', status: 500, durationMs: 3, bytes: 1, requestId: 'r' });
  const errs = new AppErrors();
  errs.onEvent({ id: '1', type: 'system.app.error', source: 'system', timestamp: '', data: { slug: 'shop', appId: 'x', requestId: 'r', kind: 'timeout' } });
  errs.onEvent({ id: '2', type: 'system.app.error', source: 'system', timestamp: '', data: { slug: 'shop', appId: 'x', requestId: 'r', kind: 'exception' } });
  const a = await run(appsCollector, { http: m.take(), appErrors: errs.take() });
  assert.equal(a.total, 2);
  assert.equal(a.active, 1);
  assert.equal(a.erroring, 1);
  assert.equal(a.limitHits, 1);
  assert.equal(a.sandboxErrors, 1);
  assert.equal(a.bySlug.shop.errors, 1);
  assert.equal(a.bySlug.blog.requests, 0);

  // A beat later with no traffic, shop is still known to be failing: not active, still erroring.
  const quiet = await run(appsCollector, { http: m.take(), appErrors: errs.take() });
  assert.equal(quiet.active, 0);
  assert.equal(quiet.erroring, 1);
  assert.equal(quiet.bySlug.shop.errors, 0);
  assert.equal(quiet.bySlug.shop.recentErrorRate, 100);
  assert.equal(quiet.bySlug.blog.recentErrorRate, 0);
});

test('storage: file sizes, row counts of tables that exist, null for ones that do not', async () => {
  const st = await run(storageCollector);
  assert.ok(st.dbMb + st.walMb > 0);
  assert.equal(typeof st.beatsRows, 'number');
  assert.equal(rowCount(s.kernel.db, 'no_such_table'), null);
  s.kernel.db.exec('CREATE TABLE pulse_test_rows (v INTEGER)');
  const ins = s.kernel.db.prepare('INSERT INTO pulse_test_rows (v) VALUES (?)');
  for (let i = 0; i < 50; i++) ins.run(i);
  assert.equal(rowCount(s.kernel.db, 'pulse_test_rows'), 50);
  s.kernel.db.exec('DELETE FROM pulse_test_rows WHERE rowid <= 10');
  assert.equal(rowCount(s.kernel.db, 'pulse_test_rows'), 40, 'trimmed from the old end');
});

test('safety: pending halts with age, and denied calls since the last beat', async () => {
  const before = Date.now() - 1000;
  const tok = s.kernel.tokens.create('reader', 'token', ['kernel:apps:read'], null);
  const denied = await s.op('pulse.beat', {}, { token: tok.token });
  assert.equal(denied.status, 403);
  const sf = await run(safetyCollector, { lastBeatAt: before });
  assert.ok(sf.deniedCalls >= 1);
  assert.equal(sf.pendingHalts, 0);
  assert.equal(sf.oldestHaltHours, 0);
});

test('certs: none by default; a registered provider reports days left', async () => {
  const none = await run(certsCollector);
  assert.deepEqual(none, { count: 0, minDaysLeft: null, certs: [] });
  const now = Date.now();
  s.kernel.services.pulse.certProviders.push(() => [{ domain: 'example.test', expiresAt: new Date(now + 5 * 86_400_000).toISOString() }]);
  try {
    const c = await run(certsCollector, { now });
    assert.equal(c.count, 1);
    assert.equal(c.minDaysLeft, 5);
  } finally {
    s.kernel.services.pulse.certProviders.length = 0;
  }
});
