import assert from 'node:assert/strict';
import { after, before, beforeEach, test } from 'node:test';
import type { FaztEvent } from '../../src/events/bus.js';
import { startServer, type TestServer } from '../helpers/server.js';

let s: TestServer;
let events: FaztEvent[] = [];
before(async () => {
  s = await startServer({ extra: { 'pulse.interval': '1h' } });
  s.kernel.events.on('system.pulse.*', (e) => events.push(e));
});
after(() => s.close());
beforeEach(() => (events = []));

const of = (type: string, key: string) => events.filter((e) => e.type === type && (e.data as { key: string }).key === key);
const beat = async () => {
  const r = await s.op('pulse.beat');
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return r.body as { issues: { key: string; severity: string }[]; health: string };
};
const configure = async (thresholds: Record<string, number>) => assert.equal((await s.op('pulse.configure', { thresholds })).status, 200);

test('an issue is announced once when new, again when it worsens, and resolved once', async () => {
  const key = 'memory.usage:host';
  await configure({ memoryWarningPercent: 1, memoryCriticalPercent: 100 });
  let b = await beat();
  assert.equal(b.issues.find((i) => i.key === key)?.severity, 'warning');
  assert.equal(b.health, 'degraded');
  await beat();
  await beat();
  assert.equal(of('system.pulse.issue', key).length, 1, 'de-duplicated by key across beats');
  const first = of('system.pulse.issue', key)[0].data as Record<string, unknown>;
  for (const f of ['key', 'severity', 'title', 'description', 'recommendation', 'subject', 'metric', 'value']) assert.ok(f in first, f);
  assert.equal(first.previousSeverity, null);

  await configure({ memoryCriticalPercent: 2 });
  b = await beat();
  assert.equal(b.health, 'critical');
  const worse = of('system.pulse.issue', key);
  assert.equal(worse.length, 2);
  assert.equal((worse[1].data as { severity: string; previousSeverity: string }).severity, 'critical');
  assert.equal((worse[1].data as { previousSeverity: string }).previousSeverity, 'warning');

  await configure({ memoryWarningPercent: 80, memoryCriticalPercent: 90 });
  b = await beat();
  assert.ok(!b.issues.some((i) => i.key === key));
  await beat();
  assert.equal(of('system.pulse.resolved', key).length, 1);
  assert.equal(events.filter((e) => e.type === 'system.pulse.beat').length, 6);
});

test('hysteresis on the live server: disk just under a raised threshold stays open, clears well below it', async () => {
  const first = await beat();
  const disk = (await s.op('pulse.trend', { metric: 'disk', hours: 1 })).body.stats.last as number;
  const key = first.issues.find((i) => i.key.startsWith('disk.usage:'))?.key;
  assert.equal(key, undefined, 'no disk issue at default thresholds');
  await configure({ diskWarningPercent: Math.max(1, disk - 0.5) });
  let b = await beat();
  const diskKey = b.issues.find((i) => i.key.startsWith('disk.usage:'))?.key;
  assert.ok(diskKey, 'raised');
  await configure({ diskWarningPercent: disk + 0.5 });
  b = await beat();
  assert.ok(b.issues.some((i) => i.key === diskKey), 'held inside the clear band');
  assert.equal(of('system.pulse.resolved', diskKey!).length, 0);
  await configure({ diskWarningPercent: Math.min(100, disk * 1.25) });
  b = await beat();
  assert.ok(!b.issues.some((i) => i.key === diskKey));
  assert.equal(of('system.pulse.issue', diskKey!).length, 1);
  assert.equal(of('system.pulse.resolved', diskKey!).length, 1);
  await configure({ diskWarningPercent: 85 });
});

test('app errors from requests and sandbox limit hits become app-keyed issues', async () => {
  assert.equal((await s.op('apps.create', { name: 'shop' })).status, 200);
  await beat();
  const emit = (status: number) =>
    s.kernel.requests.emit({ appId: null, slug: 'shop', kind: 'api', method: 'GET', path: '/api/cart', status, durationMs: 12, bytes: 5, requestId: 'r' });
  for (let i = 0; i < 30; i++) emit(i < 9 ? 500 : 200);
  for (let i = 0; i < 2; i++) s.kernel.events.emit({ type: 'system.app.error', source: 'system', data: { appId: 'x', slug: 'shop', requestId: 'r', kind: 'timeout' } });
  let b = await beat();
  const errs = b.issues.find((i) => i.key === 'app.errors:shop');
  assert.equal(errs?.severity, 'critical', JSON.stringify(b.issues));
  assert.ok(b.issues.some((i) => i.key === 'app.limits:shop'));
  assert.equal(of('system.pulse.issue', 'app.errors:shop').length, 1);

  // Errors are judged over recent requests (at least the last 100), so it takes enough good ones to clear.
  for (let i = 0; i < 200; i++) emit(200);
  b = await beat();
  assert.ok(!b.issues.some((i) => i.key === 'app.errors:shop'));
  assert.equal(of('system.pulse.resolved', 'app.errors:shop').length, 1);
  assert.equal(of('system.pulse.resolved', 'app.limits:shop').length, 1);

  const trend = await s.op('pulse.trend', { metric: 'apps.shop.errors', hours: 1 });
  assert.equal(trend.status, 200, JSON.stringify(trend.body));
  assert.ok(trend.body.values.includes(9));
  const ins = await s.op('pulse.insights', { hours: 1 });
  assert.equal(ins.status, 200);
  assert.ok(ins.body.recurring.some((r: { key: string }) => r.key === 'app.errors:shop'), 'a critical issue is listed even once');
});
