import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { TestServer } from '../helpers/server.js';
import { agentAudit, agentServer, assertNothingUnsafeRan, beat, decisions, ok } from './helpers.js';

const OPTIONS = ['Delete logs older than 30 days', 'Expand disk', 'Ignore'];

describe('disk almost full: the owner chooses, at every autonomy level', () => {
  let s: TestServer;
  let disk: number;
  const raise = () => ok(s, 'pulse.configure', { thresholds: { diskWarningPercent: Math.max(1, disk - 1), diskCriticalPercent: 100 } });
  const clear = async () => {
    await ok(s, 'pulse.configure', { thresholds: { diskWarningPercent: 85, diskCriticalPercent: 95 } });
    await beat(s);
    assert.equal(s.kernel.services.agent.incidents.all().filter((i) => i.key.startsWith('disk.usage:')).length, 0);
  };
  const diskDecisions = async () => decisions(s, { kind: 'disk-high' });
  before(async () => {
    s = await agentServer();
    await beat(s);
    disk = (await ok(s, 'pulse.trend', { metric: 'disk', hours: 1 })).stats.last;
  });
  after(() => s.close());

  it('medium: a halt with three options; approving one runs it', async () => {
    await raise();
    await beat(s);
    const [d] = await diskDecisions();
    assert.equal(d.choice, 'escalate');
    assert.deepEqual(d.options, OPTIONS);
    const halt = s.kernel.halts.get(d.haltId)!;
    assert.equal(halt.status, 'pending');
    assert.equal(halt.op, 'logs.cleanup');
    assert.deepEqual(halt.input, { olderThan: '30d' });
    assert.deepEqual(halt.options, OPTIONS);
    assert.match(halt.reason, /Disk .* % full/);
    const asked = (await agentAudit(s)).filter((r) => r.op === 'logs.cleanup');
    assert.deepEqual(asked.map((r) => [r.surface, r.outcome]), [['agent', 'halted']]);

    const decided = await ok(s, 'halt.approve', { id: halt.id, option: OPTIONS[0] }, { human: true });
    assert.equal(decided.status, 'approved');
    assert.equal(typeof decided.result.deleted, 'number');
    const ran = (await agentAudit(s)).filter((r) => r.op === 'logs.cleanup' && r.outcome === 'ok');
    assert.equal(ran.length, 1);
    assert.equal(ran[0].surface, 'halt');
    assert.equal(ran[0].haltId, halt.id);
    await s.kernel.services.agent.idle();
    const [after] = await diskDecisions();
    assert.match(after.outcome, /chose "Delete logs older than 30 days"; it ran/);
    await clear();
  });

  it('high: deleting still needs the owner; "Expand disk" runs nothing', async () => {
    await ok(s, 'agent.configure', { autonomy: 'high' });
    await raise();
    await beat(s);
    const [d] = await diskDecisions();
    assert.equal(d.level, 'high');
    assert.equal(d.choice, 'escalate');
    assert.match(d.why, /destructive/);
    const decided = await ok(s, 'halt.approve', { id: d.haltId, option: 'Expand disk' }, { human: true });
    assert.deepEqual(decided.result, { chosen: 'Expand disk', ran: false });
    assert.equal((await agentAudit(s)).filter((r) => r.op === 'logs.cleanup' && r.outcome === 'ok').length, 1, 'still only the approved run');
    await clear();
  });

  it('low: reported, no halt; and no destructive call ever ran without approval', async () => {
    await ok(s, 'agent.configure', { autonomy: 'low' });
    const pending = s.kernel.halts.list('pending').length;
    await raise();
    await beat(s);
    const [d] = await diskDecisions();
    assert.equal(d.level, 'low');
    assert.equal(d.choice, 'report');
    assert.equal(s.kernel.halts.list('pending').length, pending);
    await clear();
    await assertNothingUnsafeRan(s);
  });

  it('medium again after "Ignore": the same proposal is suppressed for a while', async () => {
    await ok(s, 'agent.configure', { autonomy: 'medium' });
    await raise();
    await beat(s);
    const [d] = await diskDecisions();
    await ok(s, 'halt.approve', { id: d.haltId, option: 'Ignore' }, { human: true });
    await s.kernel.services.agent.idle();
    await clear();
    await raise();
    await beat(s);
    const [again] = await diskDecisions();
    assert.equal(again.choice, 'suppressed');
    assert.equal(again.haltId, null);
    const prefs = (await ok(s, 'agent.preferences')).preferences;
    assert.ok(prefs.some((p: { kind: string; op: string; suppressedUntil: string | null }) => p.kind === 'disk-high' && p.op === 'logs.cleanup' && p.suppressedUntil));
    await clear();
  });
});
