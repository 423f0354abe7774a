import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { TestServer } from '../helpers/server.js';
import { anthropicServer, type ContractServer } from '../ai/contract-servers.js';
import { agentAudit, agentServer, beat, decisions, deploy, GOOD_API, ok } from './helpers.js';

/** The model is Anthropic's Messages API on loopback (its documented contract), reached by the real provider client. */
describe('model proposals for incidents no playbook covers (Anthropic contract server)', () => {
  let s: TestServer;
  let model: ContractServer;
  /** memory.usage:host has no playbook: raise it, let the agent decide, then clear it. */
  const incident = async () => {
    await ok(s, 'pulse.configure', { thresholds: { memoryWarningPercent: 1, memoryCriticalPercent: 100 } });
    await beat(s);
    const [d] = (await decisions(s)).filter((x) => x.issueKey === 'memory.usage:host');
    await ok(s, 'pulse.configure', { thresholds: { memoryWarningPercent: 80, memoryCriticalPercent: 90 } });
    await beat(s);
    assert.equal(s.kernel.services.agent.incidents.get('memory.usage:host'), undefined);
    return d;
  };
  before(async () => {
    model = await anthropicServer();
    s = await agentServer();
    // Only the incident made here should reach the model: a busy test machine's CPU and event loop are not it.
    await ok(s, 'pulse.configure', { thresholds: { cpuWarningPercent: 10_000, eventLoopP99WarningMs: 60_000, p99WarningMs: 60_000 } });
    assert.equal((await deploy(s, 'shop', { 'api/main.js': GOOD_API })).status, 200);
    await beat(s);
  });
  after(async () => {
    await s.close();
    await model.close();
  });

  it('without a configured model nothing is asked: the incident is journaled as uncovered', async () => {
    const d = await incident();
    assert.equal(d.kind, 'none');
    assert.equal(d.choice, 'none');
    assert.match(d.why, /no playbook covers memory\.usage:host/);
    assert.equal(model.received.length, 0);
    await ok(s, 'ai.providers.set', { provider: 'anthropic', apiKey: 'sk-ant-test-00000000000000000000', baseUrl: model.url });
  });

  it('an out-of-policy proposal (a destructive op) is journaled as rejected and never runs', async () => {
    model.reply.object = { op: 'apps.delete', input: { id: 'shop' }, reason: 'Deleting shop frees memory.' };
    const d = await incident();
    assert.equal(d.kind, 'model');
    assert.equal(d.choice, 'reject');
    assert.match(d.why, /out of policy: apps\.delete is not among the operations/);
    assert.match(d.outcome, /not run/);
    assert.ok(s.kernel.services.apps.find('shop'));
    assert.ok(!(await agentAudit(s)).some((r) => r.op === 'apps.delete'));
    // What the model was offered: the policy's list, as tool definitions, and the issue.
    const sent = JSON.stringify(model.received.filter((r) => JSON.stringify(r.body).includes('memory.usage:host')).at(-1)!.body);
    assert.match(sent, /ISSUE: .*memory\.usage:host/);
    assert.match(sent, /deploy\.rollback \(write\)/);
    for (const hidden of ['apps.delete', 'logs.cleanup', 'halt.approve', 'tokens.create', 'agent.configure']) assert.ok(!sent.includes(`- ${hidden} (`), hidden);
  });

  it('a malformed proposal is journaled as rejected and never runs', async () => {
    model.reply.object = { op: 'deploy.rollback', input: { app: 42 }, reason: 'roll back' };
    const d = await incident();
    assert.equal(d.choice, 'reject');
    assert.match(d.why, /malformed proposal: input for deploy\.rollback: app/);
    assert.ok(!(await agentAudit(s)).some((r) => r.op === 'deploy.rollback'));
  });

  it('a valid write proposal passes the same gate: at medium it becomes a halt, not an action', async () => {
    model.reply.object = { op: 'deploy.rollback', input: { app: 'shop' }, reason: 'The last deploy may leak memory.' };
    const d = await incident();
    assert.equal(d.choice, 'escalate');
    assert.match(d.why, /not on the model playbook's allow-list/);
    const halt = s.kernel.halts.get(d.haltId)!;
    assert.equal(halt.op, 'deploy.rollback');
    assert.equal(halt.status, 'pending');
    assert.ok((await agentAudit(s)).filter((r) => r.op === 'deploy.rollback').every((r) => r.outcome === 'halted'));
    await ok(s, 'halt.deny', { id: halt.id }, { human: true });
  });

  it('a rate-limited provider is backed off: the next uncovered incident does not call it', async () => {
    model.failNext({ status: 429, headers: { 'retry-after': '30' }, body: { type: 'error', error: { type: 'rate_limit_error', message: 'Rate limited' } } });
    const d = await incident();
    assert.match(d.why, /model was unavailable/);
    const calls = model.received.length;
    const next = await incident();
    assert.match(next.why, /backing off/);
    assert.equal(model.received.length, calls);
  });
});
