import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { TestServer } from '../helpers/server.js';
import { loopbackReceiver, type LoopbackReceiver } from '../helpers/loopback-receiver.js';
import { agentAudit, agentServer, assertNothingUnsafeRan, BAD_API, beat, decisions, deploy, GOOD_API, hit, ok, WEBHOOK_SECRET } from './helpers.js';

describe('app incidents on a running server', () => {
  let s: TestServer;
  let hook: LoopbackReceiver;
  before(async () => {
    hook = await loopbackReceiver(() => ({ status: 200 }));
    s = await agentServer();
    await ok(s, 'notify.channels.add', { type: 'webhook', name: 'owner-hook', config: { url: hook.url, secret: WEBHOOK_SECRET } });
    await beat(s);
  });
  after(async () => {
    await s.close();
    await hook.close();
  });

  it('medium: a deploy that throws on every request is rolled back, and the rollback is verified', async () => {
    assert.equal((await deploy(s, 'shop', { 'api/main.js': GOOD_API })).status, 200);
    assert.deepEqual(new Set(await hit(s, 'shop', 8)), new Set([200]));
    await beat(s);
    assert.equal((await deploy(s, 'shop', { 'api/main.js': BAD_API })).status, 200);
    assert.deepEqual(new Set(await hit(s, 'shop', 8)), new Set([500]));
    await beat(s);

    const [d, ...more] = await decisions(s, { app: 'shop' });
    assert.equal(more.length, 0, 'one decision for the incident, however many issues it raised');
    assert.equal(d.kind, 'bad-deploy');
    assert.equal(d.choice, 'act');
    assert.equal(d.level, 'medium');
    assert.deepEqual(d.action, { op: 'deploy.rollback', input: { app: 'shop', version: 1 } });
    assert.equal(d.outcome, 'done');
    assert.deepEqual(d.undo.input, { app: 'shop', version: 2 });
    assert.equal(d.verification, 'pending');
    assert.equal((await ok(s, 'deploy.status', { app: 'shop' })).activeVersion, 1);
    const rollback = (await agentAudit(s)).filter((r) => r.op === 'deploy.rollback');
    assert.equal(rollback.length, 1);
    assert.equal(rollback[0].surface, 'agent');
    assert.equal(rollback[0].outcome, 'ok');

    assert.deepEqual(new Set(await hit(s, 'shop', 8)), new Set([200]));
    await beat(s);
    const [v] = await decisions(s, { app: 'shop' });
    assert.match(v.verification, /^ok/);
    const text = (await ok(s, 'agent.explain', { id: v.id })).text as string;
    assert.match(text, /deploy\.rollback/);
    assert.match(text, /Verification: ok/);
    assert.ok(hook.received.some((r) => r.body.includes('Roll back shop to version 1')), 'the owner was told');
  });

  it('low (per-app override): the same incident is only reported; nothing changes', async () => {
    assert.equal((await deploy(s, 'cart', { 'api/main.js': GOOD_API })).status, 200);
    await ok(s, 'agent.configure', { apps: { cart: { autonomy: 'low' } } });
    await hit(s, 'cart', 8);
    await beat(s);
    assert.equal((await deploy(s, 'cart', { 'api/main.js': BAD_API })).status, 200);
    await hit(s, 'cart', 8);
    const before = hook.received.length;
    await beat(s);
    const [d] = await decisions(s, { app: 'cart' });
    assert.equal(d.choice, 'report');
    assert.equal(d.level, 'low');
    assert.match(d.outcome, /reported on 1 channel/);
    assert.equal((await ok(s, 'deploy.status', { app: 'cart' })).activeVersion, 2, 'not rolled back');
    assert.ok(!(await agentAudit(s)).some((r) => r.op === 'deploy.rollback' && JSON.stringify(r.input).includes('cart')));
    assert.ok(hook.received.slice(before).some((r) => r.body.includes('I would: Roll back cart to version 1')));
  });

  it('a crash-looping app with no earlier version is escalated once, with a diagnosis', async () => {
    assert.equal((await deploy(s, 'loop', { 'api/main.js': BAD_API })).status, 200);
    await hit(s, 'loop', 8);
    await beat(s);
    await hit(s, 'loop', 8);
    await beat(s);
    await hit(s, 'loop', 8);
    await beat(s);
    const ds = await decisions(s, { app: 'loop' });
    assert.equal(ds.length, 1, JSON.stringify(ds));
    assert.equal(ds[0].kind, 'app-failing');
    assert.equal(ds[0].choice, 'escalate');
    const halts = s.kernel.halts.list('pending').filter((h) => h.caller.kind === 'agent' && JSON.stringify(h.input).includes('app:loop'));
    assert.equal(halts.length, 1);
    assert.equal(halts[0].id, ds[0].haltId);
    assert.equal(halts[0].op, 'agent.acknowledge');
    assert.match(halts[0].reason, /loop is failing/);
    assert.match(halts[0].reason, /nothing to roll back to/);
    assert.match(halts[0].reason, /Started: \d{4}-/);
    assert.match(halts[0].reason, /Last errors: .*checkout exploded/);
    assert.ok(hook.received.some((r) => r.body.includes('loop is failing')), 'the question went to the owner');

    const acked = await ok(s, 'halt.approve', { id: halts[0].id }, { human: true });
    assert.equal(acked.status, 'approved');
    assert.equal(s.kernel.services.agent.incidents.get('app:loop')?.state, 'acknowledged');
    await hit(s, 'loop', 8);
    await beat(s);
    assert.equal((await decisions(s, { app: 'loop' })).length, 1, 'quiet once acknowledged');
    await assertNothingUnsafeRan(s);
  });

  it('past the churn budget it stops acting and asks instead', async () => {
    await ok(s, 'agent.configure', { budgets: { perHour: 1 } });
    assert.equal((await deploy(s, 'busy', { 'api/main.js': GOOD_API })).status, 200);
    await hit(s, 'busy', 8);
    await beat(s);
    assert.equal((await deploy(s, 'busy', { 'api/main.js': BAD_API })).status, 200);
    await hit(s, 'busy', 8);
    await beat(s);
    const [d] = await decisions(s, { app: 'busy' });
    assert.equal(d.choice, 'escalate');
    assert.match(d.why, /churn budget: 1 action\(s\) in the last hour \(limit 1\)/);
    assert.equal(s.kernel.halts.get(d.haltId)!.op, 'deploy.rollback');
    assert.equal((await ok(s, 'deploy.status', { app: 'busy' })).activeVersion, 2);
    await ok(s, 'agent.configure', { budgets: { perHour: 10 } });
  });
});
