import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { AGENT_CALLER } from '../../src/agent/caller.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { deploy } from '../runtime/app-client.js';

/** Waits until the halt is no longer pending (reading it applies its deadline). */
async function settled(s: TestServer, id: string) {
  for (let i = 0; i < 200; i++) {
    const h = s.kernel.halts.get(id)!;
    if (h.status !== 'pending' && (h.status !== 'approved' || h.result !== null)) return h;
    await sleep(25);
  }
  throw new Error(`halt ${id} never settled`);
}

describe('halt deadlines: a default decision per risk class', () => {
  let s: TestServer;
  before(async () => {
    s = await startServer({ haltTimeoutMs: 400 });
    await s.op('agent.pause', {});
    for (const v of ['v1', 'v2']) assert.equal((await deploy(s, 'site', { 'index.html': v })).status, 200);
  });
  after(() => s.close());

  /** The agent asks before a reversible write (a rollback), as it does at medium for writes off its allow-list. */
  const agentAsks = async () => {
    const r = await s.kernel.invoke(AGENT_CALLER, 'deploy.rollback', { app: 'site' }, { surface: 'agent', forceHalt: true });
    assert.equal(r.status, 'halted');
    return r.status === 'halted' ? r.halt.haltId : '';
  };

  it("by default the agent's write is denied at the deadline, and every message says so", async () => {
    const id = await agentAsks();
    assert.equal(s.kernel.halts.get(id)!.defaultDecision, 'deny');
    const h = await settled(s, id);
    assert.equal(h.status, 'expired');
    assert.equal((await s.op('deploy.versions', { app: 'site' })).body.activeVersion, 2);
  });

  it('only the owner in person sets the default; set to proceed, the write runs at the deadline', async () => {
    assert.equal((await s.op('halt.configure', { agentWriteDefault: 'proceed' })).status, 403);
    const set = await s.op('halt.configure', { agentWriteDefault: 'proceed' }, { human: true });
    assert.equal(set.status, 200, JSON.stringify(set.body));
    assert.deepEqual({ ...set.body, timeoutMs: 0 }, { agentWriteDefault: 'proceed', destructive: 'deny', costly: 'deny', timeoutMs: 0 });
    const id = await agentAsks();
    assert.equal(s.kernel.halts.get(id)!.defaultDecision, 'proceed');
    const h = await settled(s, id);
    assert.equal(h.status, 'approved');
    assert.match(String(h.decidedBy), /deadline/);
    assert.equal((await s.op('deploy.versions', { app: 'site' })).body.activeVersion, 1, 'the rollback ran');
  });

  it('a destructive call is denied at the deadline whatever the setting, from the agent too', async () => {
    const r = await s.kernel.invoke(AGENT_CALLER, 'apps.delete', { id: 'site' }, { surface: 'agent' });
    assert.equal(r.status, 'halted');
    const id = r.status === 'halted' ? r.halt.haltId : '';
    assert.equal(s.kernel.halts.get(id)!.defaultDecision, 'deny');
    assert.equal((await settled(s, id)).status, 'expired');
    assert.equal((await s.op('apps.get', { id: 'site' })).status, 200);
  });
});
