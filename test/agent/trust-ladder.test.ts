import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { TestServer } from '../helpers/server.js';
import { appRequest, agentAudit, agentServer, BAD_API, beat, decisions, deploy, GOOD_API, hit, ok } from './helpers.js';

const DO_IT = 'Do this yourself next time';

describe('trust ladder (cautious personality, medium autonomy)', () => {
  let s: TestServer;
  /** A beat of good traffic: pulse resolves the app's sandbox issue, which closes the incident. */
  const recover = async () => {
    await Promise.all(Array.from({ length: 6 }, (_, j) => appRequest(s, 'shop', `/api/ok?${j}`)));
    await beat(s);
    assert.equal(s.kernel.services.agent.incidents.get('app:shop'), undefined, 'incident resolved');
  };
  /** A good version with a clean beat, then a bad one that fails: the incident the agent sees. */
  const badDeploy = async () => {
    assert.equal((await deploy(s, 'shop', { 'api/main.js': GOOD_API })).status, 200);
    await hit(s, 'shop', 6);
    await beat(s);
    assert.equal((await deploy(s, 'shop', { 'api/main.js': BAD_API })).status, 200);
    await hit(s, 'shop', 8);
    await beat(s);
    return (await decisions(s, { app: 'shop', limit: 1 }))[0];
  };
  before(async () => {
    s = await agentServer();
    // Rounds follow each other within minutes: the 5xx rate (judged over 15 minutes) would never clear between
    // them, so the incidents here come from the per-beat sandbox errors issue (app.sandbox:shop).
    await ok(s, 'pulse.configure', { thresholds: { errorRateWarningPercent: 100, errorRateCriticalPercent: 100 } });
    await ok(s, 'agent.configure', { personality: 'cautious' });
    await beat(s);
  });
  after(() => s.close());

  it('asks while cautious; after 3 approvals offers "Do this yourself next time"', async () => {
    for (let round = 1; round <= 3; round++) {
      const d = await badDeploy();
      assert.equal(d.choice, 'escalate', `round ${round}`);
      assert.match(d.why, /cautious/);
      const halt = s.kernel.halts.get(d.haltId)!;
      assert.equal(halt.op, 'deploy.rollback');
      assert.ok(!halt.options.includes(DO_IT), `round ${round}: not offered yet`);
      const decided = await ok(s, 'halt.approve', { id: halt.id, option: halt.options[0] }, { human: true });
      assert.equal(decided.status, 'approved');
      await s.kernel.services.agent.idle();
      await hit(s, 'shop', 6);
      await beat(s);
      assert.match((await ok(s, 'agent.decisions', { app: 'shop', limit: 1 })).decisions[0].verification, /^ok/, `round ${round} verified`);
      await recover();
    }
    const pref = (await ok(s, 'agent.preferences')).preferences.find((p: { op: string }) => p.op === 'deploy.rollback');
    assert.equal(pref.approvals, 3);
    assert.equal(pref.promoted, false);

    const d = await badDeploy();
    assert.equal(d.choice, 'escalate');
    const halt = s.kernel.halts.get(d.haltId)!;
    assert.deepEqual(halt.options, [halt.options[0], DO_IT, 'Ignore']);
    await ok(s, 'halt.approve', { id: halt.id, option: DO_IT }, { human: true });
    await s.kernel.services.agent.idle();
    assert.equal((await ok(s, 'deploy.status', { app: 'shop' })).activeVersion, halt.input && (halt.input as { version: number }).version, 'the chosen answer ran the rollback');
    const promoted = (await ok(s, 'agent.preferences')).preferences.find((p: { op: string }) => p.op === 'deploy.rollback');
    assert.equal(promoted.promoted, true);
    await hit(s, 'shop', 6);
    await beat(s);
    await recover();
  });

  it('once promoted it acts alone; a failed verification undoes, demotes and says so', async () => {
    // Two broken versions in a row: rolling back to the earlier one cannot help.
    assert.equal((await deploy(s, 'shop', { 'api/main.js': GOOD_API })).status, 200);
    await hit(s, 'shop', 6);
    await beat(s);
    const broken1 = (await deploy(s, 'shop', { 'api/main.js': BAD_API + ' // one' })).body.version as number;
    const broken2 = (await deploy(s, 'shop', { 'api/main.js': BAD_API + ' // two' })).body.version as number;
    await hit(s, 'shop', 8);
    await beat(s);
    const [d] = await decisions(s, { app: 'shop', limit: 1 });
    assert.equal(d.choice, 'act');
    assert.match(d.why, /owner told me to do this myself/);
    assert.deepEqual(d.action.input, { app: 'shop', version: broken1 });

    await hit(s, 'shop', 8);
    await beat(s);
    const acted = (await ok(s, 'agent.decisions', { app: 'shop', limit: 10 })).decisions.find((x: { id: string }) => x.id === d.id);
    assert.match(acted.verification, /^failed/);
    assert.equal(acted.undone, true);
    assert.equal((await ok(s, 'deploy.status', { app: 'shop' })).activeVersion, broken2, 'undone: rolled forward');
    const pref = (await ok(s, 'agent.preferences')).preferences.find((p: { op: string }) => p.op === 'deploy.rollback');
    assert.equal(pref.promoted, false);
    assert.match(pref.note, /verification failed/);
    const [esc] = await decisions(s, { app: 'shop', limit: 1 });
    assert.equal(esc.choice, 'escalate');
    assert.match(s.kernel.halts.get(esc.haltId)!.reason, /I will ask you again before doing deploy\.rollback/);
    const rollbacks = (await agentAudit(s)).filter((r) => r.op === 'deploy.rollback' && r.surface === 'agent' && r.outcome === 'ok');
    assert.equal(rollbacks.length, 2, 'the action and its undo: the only rollbacks it made alone');

    assert.deepEqual(await ok(s, 'agent.preferences.forget', { op: 'deploy.rollback' }), { forgotten: 1 });
    assert.equal((await ok(s, 'agent.preferences')).preferences.length, 0);
  });
});
