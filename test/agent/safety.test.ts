import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { AGENT_CALLER } from '../../src/agent/caller.js';
import type { Caller, InvokeOptions } from '../../src/kernel/ops/define.js';
import type { TestServer } from '../helpers/server.js';
import { agentAudit, agentServer, assertNothingUnsafeRan, ok } from './helpers.js';

/** Calls that a buggy playbook could make: each must halt, never run. */
describe('the agent cannot delete or spend on its own (kernel gate and capabilities)', () => {
  let s: TestServer;
  before(async () => {
    s = await agentServer();
    await ok(s, 'apps.create', { name: 'keep' });
  });
  after(() => s.close());

  const attempt = (caller: Caller, name: string, input: unknown, opts: Partial<InvokeOptions> = {}) =>
    s.kernel.invoke(caller, name, input, { surface: 'agent', ...opts });

  it('destructive ops halt for the agent even when its caller claims a present human', async () => {
    const liar = { ...AGENT_CALLER, human: true };
    for (const [caller, surface] of [[AGENT_CALLER, 'agent'], [liar, 'agent'], [liar, 'http'], [{ ...liar, kind: 'owner' as const }, 'agent']] as const) {
      const r = await attempt(caller, 'apps.delete', { id: 'keep' }, { surface });
      assert.equal(r.status, 'halted', `${caller.kind}/${surface}`);
      const c = await attempt(caller, 'logs.cleanup', { olderThan: '1d' }, { surface });
      assert.equal(c.status, 'halted');
    }
    assert.ok(s.kernel.services.apps.find('keep'), 'the app is still there');
  });

  it('an accepting confirmation or a borrowed approval id does not let an agent call through', async () => {
    const confirm = async () => ({ action: 'accept' as const });
    assert.equal((await attempt(AGENT_CALLER, 'apps.delete', { id: 'keep' }, { confirm })).status, 'halted');
    // A halt the owner approved earlier lets only that call run, and only while it runs.
    const first = await attempt(AGENT_CALLER, 'logs.cleanup', { olderThan: '400d' });
    assert.equal(first.status, 'halted');
    const haltId = (first as { halt: { haltId: string } }).halt.haltId;
    await ok(s, 'halt.approve', { id: haltId }, { human: true });
    assert.equal(s.kernel.halts.get(haltId)!.status, 'approved');
    const replay = await attempt(AGENT_CALLER, 'apps.delete', { id: 'keep' }, { approvedHaltId: haltId });
    assert.equal(replay.status, 'halted');
    const same = await attempt(AGENT_CALLER, 'logs.cleanup', { olderThan: '400d' }, { approvedHaltId: haltId });
    assert.equal(same.status, 'halted', 'an approval is spent once it has run');
    assert.ok(s.kernel.services.apps.find('keep'));
  });

  it('the agent cannot decide halts or reach tokens, secrets or settings', async () => {
    const liar = { ...AGENT_CALLER, human: true };
    const pending = s.kernel.halts.list('pending')[0];
    assert.ok(pending);
    for (const caller of [AGENT_CALLER, liar]) {
      await assert.rejects(attempt(caller, 'halt.approve', { id: pending.id }), /FORBIDDEN|in person/);
      await assert.rejects(attempt(caller, 'halt.approve', { id: pending.id }, { surface: 'http' }), /in person|capability/);
      await assert.rejects(attempt(caller, 'tokens.create', { name: 'x', cap: ['kernel:*'] }), /capability|in person/);
      await assert.rejects(attempt(caller, 'agent.configure', { autonomy: 'high' }), /capability/);
    }
    await assert.rejects(s.kernel.halts.decide(pending.id, 'approve', liar), /owner in person/);
    assert.equal(s.kernel.halts.get(pending.id)!.status, 'pending');
  });

  it('a forced halt carries choices: the chosen answer runs the call or nothing', async () => {
    const ask = (input: unknown) => attempt(AGENT_CALLER, 'deploy.rollback', input, {
      forceHalt: true,
      haltQuestion: { reason: 'Roll back keep?', choices: [{ option: 'Roll back', runs: true }, { option: 'Ignore', runs: false }] },
    });
    const a = await ask({ app: 'keep', version: 7 });
    assert.equal(a.status, 'halted', 'a write the agent asks about is not run');
    const h = s.kernel.halts.get((a as { halt: { haltId: string } }).halt.haltId)!;
    assert.deepEqual(h.options, ['Roll back', 'Ignore']);
    assert.equal(h.reason, 'Roll back keep?');
    const ignored = await ok(s, 'halt.approve', { id: h.id, option: 'Ignore' }, { human: true });
    assert.equal(ignored.status, 'approved');
    assert.deepEqual(ignored.result, { chosen: 'Ignore', ran: false });
    const b = await ask({ app: 'keep', version: 8 });
    const ran = await ok(s, 'halt.approve', { id: (b as { halt: { haltId: string } }).halt.haltId }, { human: true });
    // The stored call ran (and failed: keep has no version 8), with the first option as the answer.
    assert.equal(ran.status, 'failed');
    assert.equal(ran.decisionOption, 'Roll back');
    const rows = (await ok(s, 'audit.query', { op: 'deploy.rollback', limit: 10 })).entries;
    assert.equal(rows.filter((r: { surface: string }) => r.surface === 'halt').length, 1, 'only the chosen answer that runs reached the op');
  });

  it('the audit trail shows every agent call with surface agent, and no destructive one ran unapproved', async () => {
    const rows = await agentAudit(s);
    assert.ok(rows.some((r) => r.surface === 'agent' && r.op === 'apps.delete' && r.outcome === 'halted'));
    assert.ok(rows.filter((r) => r.surface === 'agent').length >= 8);
    const ranDestructive = rows.filter((r) => r.op === 'logs.cleanup' && r.outcome === 'ok');
    assert.equal(ranDestructive.length, 1);
    assert.equal(ranDestructive[0].surface, 'halt');
    await assertNothingUnsafeRan(s);
  });
});
