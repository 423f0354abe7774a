import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { defineCollector } from '../../src/pulse/collectors/define.js';
import { startServer, type TestServer } from '../helpers/server.js';

let s: TestServer;
/** Lets other modules' write buffers (events, logs) flush first, so only the beat meets the lock. */
const settle = () => new Promise((r) => setTimeout(r, 400));
before(async () => {
  s = await startServer({ extra: { 'pulse.interval': '1h' } });
});
after(() => s.close());

test('a collector that throws and one that hangs: the beat is stored with both marked failed', async () => {
  const pulse = s.kernel.services.pulse;
  const offs = [
    pulse.collectors.add(defineCollector({ name: 'broken', collect: () => { throw new Error('sensor on fire'); } })),
    pulse.collectors.add(defineCollector({ name: 'stuck', budgetMs: 100, collect: () => new Promise(() => {}) })),
    pulse.collectors.add(defineCollector({ name: 'extra', collect: () => ({ widgets: 7 }) })),
  ];
  try {
    const r = await s.op('pulse.beat');
    assert.equal(r.status, 200, JSON.stringify(r.body));
    const b = r.body;
    assert.equal(b.stored, true);
    assert.deepEqual(b.collectors.broken, { ok: false, ms: b.collectors.broken.ms, error: 'sensor on fire' });
    assert.equal(b.collectors.stuck.ok, false);
    assert.match(b.collectors.stuck.error, /100 ms budget/);
    assert.equal(b.collectors.host.ok, true, 'the others still ran');
    assert.equal(b.metrics.extra.widgets, 7, 'a registered collector needs no other change');
    assert.equal(b.health, 'degraded');
    assert.ok(b.issues.some((i: { key: string }) => i.key === 'pulse.collector:broken'));
    assert.ok(b.issues.some((i: { key: string }) => i.key === 'pulse.collector:stuck'));
    const st = await s.op('pulse.status');
    assert.deepEqual(st.body.failedCollectors.sort(), ['broken', 'stuck']);
    const trend = await s.op('pulse.trend', { metric: 'extra.widgets' });
    assert.deepEqual(trend.body.values, [7]);
  } finally {
    for (const off of offs) off();
  }
  const next = await s.op('pulse.beat');
  assert.ok(!next.body.issues.some((i: { key: string }) => i.key.startsWith('pulse.collector:')));
});

test('clock jumps: beats with out-of-order timestamps keep trend and history in time order', async () => {
  const pulse = s.kernel.services.pulse;
  const now = Date.now();
  await pulse.beat({ now: now - 30 * 60_000 });
  await pulse.beat({ now: now - 90 * 60_000 }); // clock jumped back an hour
  await pulse.beat({ now: now - 60 * 60_000 });
  await pulse.beat({ now: now + 30_000 }); // and a little ahead
  const t = await s.op('pulse.trend', { metric: 'memory', hours: 2 });
  assert.equal(t.status, 200, JSON.stringify(t.body));
  const times = t.body.timestamps.map((x: string) => Date.parse(x));
  assert.deepEqual(times, [...times].sort((a, b) => a - b), 'oldest first');
  assert.ok(times.length >= 4);
  const h = await s.op('pulse.history', { hours: 2 });
  const ht = h.body.beats.map((b: { at: string }) => Date.parse(b.at));
  assert.deepEqual(ht, [...ht].sort((a, b) => b - a), 'newest first');
  const ins = await s.op('pulse.insights', { hours: 2 });
  assert.equal(ins.status, 200);
  // a beat after the jump still computes its windows from the monotonic clock
  const b = await s.op('pulse.beat');
  assert.ok(b.body.metrics.http.windowSeconds >= 0);
  assert.equal(b.body.stored, true);
});

test('database locked during a beat: the write is retried and lands once the lock is released', async () => {
  const other = new Database(join(s.dataDir, 'data.db'));
  try {
    await settle();
    other.exec('BEGIN EXCLUSIVE');
    const before = s.kernel.services.pulse.store.count();
    // Called in-process: an HTTP request would itself wait on the lock to record its token use.
    const pending = s.kernel.services.pulse.beat();
    setTimeout(() => other.exec('COMMIT'), 250);
    const r = await pending;
    assert.equal(r.stored, true);
    assert.ok(r.attempts >= 2, `attempts ${r.attempts}`);
    assert.equal(s.kernel.services.pulse.store.count(), before + 1);
  } finally {
    if (other.inTransaction) other.exec('ROLLBACK');
    other.close();
  }
});

test('database locked through a whole beat: the beat degrades to not stored and the server keeps serving', async () => {
  const other = new Database(join(s.dataDir, 'data.db'));
  const events: unknown[] = [];
  const off = s.kernel.events.on('system.pulse.beat', (e) => events.push(e.data));
  try {
    await settle();
    other.exec('BEGIN EXCLUSIVE');
    const b = await s.kernel.services.pulse.beat({ trigger: 'system' });
    assert.equal(b.stored, false);
    assert.match(b.storeError ?? '', /locked/);
    assert.ok(b.attempts > 1);
    assert.equal((events[0] as { stored: boolean }).stored, false);
  } finally {
    other.exec('ROLLBACK');
    other.close();
    off();
  }
  const health = await fetch(`${s.url}/api/health`);
  assert.equal(health.status, 200);
  const again = await s.op('pulse.beat');
  assert.equal(again.status, 200);
  assert.equal(again.body.stored, true);
});

test('concurrent beat requests share one beat', async () => {
  const before = s.kernel.services.pulse.store.count();
  const pulse = s.kernel.services.pulse;
  const [a, b] = await Promise.all([pulse.beat(), pulse.beat()]);
  assert.equal(a.id, b.id);
  assert.equal(s.kernel.services.pulse.store.count(), before + 1);
});
