import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startServer } from '../helpers/server.js';

const HOUR = 3_600_000;

test('the schedule makes a backup when one is due, then verifies weekly; events tell each outcome', async () => {
  const s = await startServer();
  try {
    const events: { type: string; data: any }[] = [];
    s.kernel.events.on('system.backup.*', (e) => events.push({ type: e.type, data: e.data }));
    const svc = s.kernel.services.backup;
    assert.equal(await svc.tick(), 'idle', 'no schedule configured: manual backups only');
    assert.equal((await s.op('backup.configure', { every: '6h', keep: { last: 10 } })).status, 200);
    const t0 = Date.now();
    assert.equal(await svc.tick(t0), 'backup');
    assert.equal(await svc.tick(t0 + HOUR), 'idle');
    assert.equal(await svc.tick(t0 + 6 * HOUR + 1000), 'backup');
    const list = await s.op('backup.list', {});
    assert.equal(list.body.backups.length, 2);
    assert.deepEqual(list.body.backups.map((b: { note?: string }) => b.note), ['scheduled', 'scheduled']);
    assert.deepEqual(events.map((e) => e.type), ['system.backup.completed', 'system.backup.completed']);
    assert.equal(events[0].data.target, 'local');
    assert.ok(!('passphrase' in events[0].data));
    // With the schedule off, a week after the last good backup it is due its verification (weekly by default).
    const off = await s.op('backup.configure', { every: 'off' });
    assert.equal(off.body.every, null);
    assert.equal(await svc.tick(Date.now() + HOUR), 'idle');
    assert.equal(await svc.tick(Date.now() + 7 * 24 * HOUR + HOUR), 'verify');
    const st = await s.op('backup.status', {});
    assert.equal(st.body.lastVerifyOk, true);
    assert.equal(st.body.verifyEvery, '7d');
    assert.equal((await s.op('backup.configure', { verifyEvery: 'off' })).body.verifyEvery, null);
    assert.equal(await svc.tick(Date.now() + 30 * 24 * HOUR), 'idle');
  } finally {
    await s.close();
  }
});

test('pulse reports the age of the last good backup and an issue when it is older than twice the schedule', async () => {
  const s = await startServer();
  try {
    assert.equal((await s.op('backup.configure', { every: '6h' })).status, 200);
    const b = await s.op('backup.create', {});
    assert.equal(b.status, 200);
    const fresh = await s.op('pulse.beat', {});
    assert.equal(fresh.status, 200, JSON.stringify(fresh.body));
    assert.equal(fresh.body.metrics.backup.scheduleSeconds, 6 * 3600);
    assert.ok(fresh.body.metrics.backup.lastGoodAgeSeconds < 600);
    assert.equal(fresh.body.metrics.backup.lastGoodId, b.body.id);
    assert.ok(!fresh.body.issues.some((i: { key: string }) => i.key.startsWith('backup.')));
    // The last good backup was 13 hours ago: more than twice the 6 h schedule.
    const st = s.kernel.services.backup.state();
    s.kernel.settings.set('backup.state', { ...st, lastGoodAt: new Date(Date.now() - 13 * HOUR).toISOString() });
    const stale = await s.op('pulse.beat', {});
    const issue = stale.body.issues.find((i: { key: string }) => i.key === 'backup.stale:data.db');
    assert.ok(issue, JSON.stringify(stale.body.issues));
    assert.equal(issue.severity, 'warning');
    assert.match(issue.title, /Last good backup is 13 hours old/);
    assert.match(issue.recommendation, /backup\.create/);
  } finally {
    await s.close();
  }
});
