import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { FaztEvent } from '../../src/events/bus.js';
import { startServer, type TestServer } from '../helpers/server.js';

let s: TestServer;
const events: FaztEvent[] = [];
before(async () => {
  s = await startServer({ extra: { 'pulse.interval': '1h' } });
  s.kernel.events.on('system.pulse.*', (e) => events.push(e));
});
after(() => s.close());

test('empty history: the first status call runs a beat', async () => {
  const h = await s.op('pulse.history', { hours: 24 });
  assert.equal(h.status, 200);
  assert.deepEqual(h.body, { hours: 24, count: 0, beats: [] });
  const ins = await s.op('pulse.insights', {});
  assert.equal(ins.body.beats, 0);
  assert.match(ins.body.notes[0], /No beats/);
  const st = await s.op('pulse.status');
  assert.equal(st.status, 200, JSON.stringify(st.body));
  assert.ok(['healthy', 'degraded', 'critical'].includes(st.body.health));
  assert.equal(typeof st.body.summary, 'string');
  assert.ok(Array.isArray(st.body.issues) && Array.isArray(st.body.patterns) && Array.isArray(st.body.security));
  assert.equal(st.body.intervalSeconds, 3600);
  assert.equal(s.kernel.services.pulse.store.count(), 1);
});

test('pulse.beat over HTTP stores a beat, measures its cost and emits system.pulse.beat', async () => {
  const n = events.length;
  const r = await s.op('pulse.beat');
  assert.equal(r.status, 200, JSON.stringify(r.body));
  const b = r.body;
  assert.equal(b.stored, true);
  assert.equal(b.attempts, 1);
  for (const c of ['process', 'host', 'http', 'apps', 'storage', 'safety', 'certs']) {
    assert.ok(b.metrics[c], `metrics.${c}`);
    assert.equal(b.collectors[c].ok, true, `${c}: ${b.collectors[c].error}`);
  }
  assert.ok(b.cost.wallMs > 0 && b.cost.cpuMs >= 0);
  const stored = s.kernel.services.pulse.store.latest()!;
  assert.equal(stored.id, b.id);
  assert.equal(stored.health, b.health);
  assert.deepEqual(stored.cost, b.cost);
  const beatEvents = events.slice(n).filter((e) => e.type === 'system.pulse.beat');
  assert.equal(beatEvents.length, 1);
  assert.equal((beatEvents[0].data as { id: number }).id, b.id);
});

test('requests reported by the server show up in the next beat', async () => {
  await s.op('pulse.beat');
  for (let i = 0; i < 3; i++) {
    s.kernel.requests.emit({ appId: null, slug: 'shop', kind: 'static', method: 'GET', path: '/', status: 200, durationMs: 4, bytes: 10, requestId: `r${i}` });
  }
  const b = (await s.op('pulse.beat')).body;
  assert.ok(b.metrics.http.requests >= 3);
  assert.equal(b.metrics.http.bySlug.shop.requests, 3);
});

test('history, trend and insights shapes', async () => {
  const h = await s.op('pulse.history', { hours: 1 });
  assert.equal(h.status, 200);
  assert.ok(h.body.count >= 3);
  const [newest] = h.body.beats;
  assert.deepEqual(Object.keys(newest).sort(), ['at', 'cost', 'failedCollectors', 'health', 'id', 'issues', 'summary']);
  assert.ok(h.body.beats[0].at >= h.body.beats[1].at, 'newest first');

  const t = await s.op('pulse.trend', { metric: 'memory.used', hours: 1 });
  assert.equal(t.status, 200, JSON.stringify(t.body));
  assert.equal(t.body.path, 'host.memory.usedMb');
  assert.equal(t.body.timestamps.length, t.body.values.length);
  assert.ok(t.body.values.length >= 3);
  assert.ok(t.body.stats.max >= t.body.stats.min);
  const p99 = await s.op('pulse.trend', { metric: 'http.p99' });
  assert.equal(p99.status, 200);
  const app = await s.op('pulse.trend', { metric: 'apps.shop.requests' });
  assert.equal(app.status, 200, JSON.stringify(app.body));

  const get = await fetch(`${s.url}/api/ops/pulse.trend?metric=cpu&hours=2`, { headers: { authorization: `Bearer ${s.token}` } });
  assert.equal(get.status, 200);
  assert.equal(((await get.json()) as { path: string }).path, 'process.cpuPercent');

  const ins = await s.op('pulse.insights', { hours: 1 });
  assert.equal(ins.status, 200);
  assert.ok(ins.body.beats >= 3);
  assert.equal(ins.body.health.healthy + ins.body.health.degraded + ins.body.health.critical, ins.body.beats);
  assert.ok(ins.body.busiestApps.some((a: { slug: string }) => a.slug === 'shop'));
});

test('unknown metric → 400 listing the valid paths', async () => {
  const r = await s.op('pulse.trend', { metric: 'memroy' });
  assert.equal(r.status, 400);
  assert.equal(r.body.error.code, 'BAD_INPUT');
  assert.match(r.body.error.message, /Unknown metric 'memroy'/);
  const valid: string[] = r.body.error.details.validPaths;
  for (const p of ['memory', 'http.p99', 'host.memory.percent', 'apps.shop.<field>']) assert.ok(valid.includes(p), p);
});

test('hours out of range → 400', async () => {
  for (const [op, input] of [
    ['pulse.history', { hours: 0 }],
    ['pulse.history', { hours: 10_000 }],
    ['pulse.trend', { metric: 'memory', hours: -1 }],
    ['pulse.insights', { hours: 1.5 }],
    ['pulse.history', { hours: 'lots' }],
  ] as const) {
    const r = await s.op(op, input);
    assert.equal(r.status, 400, `${op} ${JSON.stringify(input)}`);
    assert.match(r.body.error.message, /hours/);
  }
});

test('configure: validates, persists and re-arms the timer', async () => {
  const bad = await s.op('pulse.configure', { interval: 'soon' });
  assert.equal(bad.status, 400);
  assert.match(bad.body.error.message, /interval/);
  const inverted = await s.op('pulse.configure', { thresholds: { diskWarningPercent: 99, diskCriticalPercent: 90 } });
  assert.equal(inverted.status, 400);
  const unknown = await s.op('pulse.configure', { thresholds: { bogus: 1 } });
  assert.equal(unknown.status, 400);
  const ok = await s.op('pulse.configure', { interval: '30m', retention: '3d', thresholds: { p99WarningMs: 500 } });
  assert.equal(ok.status, 200, JSON.stringify(ok.body));
  assert.equal(ok.body.interval, '30m');
  assert.equal(ok.body.retention, '3d');
  assert.equal(ok.body.thresholds.p99WarningMs, 500);
  assert.equal(ok.body.thresholds.diskWarningPercent, 85);
  const saved = s.kernel.settings.get<{ interval?: string; thresholds?: Record<string, number> }>('pulse.config', {});
  assert.equal(saved.interval, '30m');
  assert.equal(saved.thresholds?.p99WarningMs, 500);
  const read = await s.op('pulse.configure', {});
  assert.equal(read.body.interval, '30m');
});

test('capabilities: kernel:pulse:read may read, not beat or configure', async () => {
  const reader = s.kernel.tokens.create('pulse-reader', 'token', ['kernel:pulse:read'], null).token;
  assert.equal((await s.op('pulse.status', {}, { token: reader })).status, 200);
  assert.equal((await s.op('pulse.history', {}, { token: reader })).status, 200);
  assert.equal((await s.op('pulse.beat', {}, { token: reader })).status, 403);
  assert.equal((await s.op('pulse.configure', { interval: '1m' }, { token: reader })).status, 403);
  const none = s.kernel.tokens.create('apps-reader', 'token', ['kernel:apps:read'], null).token;
  assert.equal((await s.op('pulse.status', {}, { token: none })).status, 403);
});
