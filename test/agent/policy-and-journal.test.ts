import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { judge } from '../../src/agent/policy.js';
import type { Proposal } from '../../src/agent/playbooks/types.js';
import { Kernel } from '../../src/kernel/kernel.js';
import { allModules } from '../../src/kernel/modules.js';
import { tempDir } from '../helpers/temp.js';

const proposal = (op: string, input: Record<string, unknown>, more: Partial<Proposal> = {}): Proposal => ({
  source: 'test', op, input, label: op, reason: 'r', expected: 'e', verify: 'v', allowListed: true, ...more,
});

describe('the policy judges every proposal the same way', () => {
  let k: Kernel;
  let t: { dir: string; cleanup: () => void };
  before(() => {
    t = tempDir();
    k = new Kernel(allModules(), { dataDir: t.dir });
  });
  after(async () => {
    await k.stop();
    t.cleanup();
  });

  it('never acts alone on a destructive or costly op, at any level, personality or promotion', () => {
    const gated = k.registry.list().filter((op) => op.risk === 'destructive' || op.risk === 'costly');
    assert.ok(gated.length >= 3);
    for (const op of gated) {
      for (const level of ['low', 'medium', 'high'] as const) {
        for (const personality of ['helpful', 'terse', 'cautious'] as const) {
          for (const promoted of [false, true]) {
            const p = proposal(op.name, { id: 'x', app: 'x', olderThan: '1d', key: 'k', collection: 'c', filter: {} }, { undo: { op: 'x', input: {}, description: 'x' } });
            const j = judge(k, p, { level, personality, preference: promoted ? { kind: 't', subject: 's', op: op.name, approvals: 9, promoted: true, suppressedUntil: null, note: null, updatedAt: '' } : undefined, suppressed: false, overBudget: null });
            assert.notEqual(j.choice, 'act', `${op.name} ${level} ${personality} promoted=${promoted}: ${j.why}`);
          }
        }
      }
    }
  });

  it('medium acts only on allow-listed writes; cautious only renews; the budget turns actions into questions', () => {
    const base = { personality: 'helpful' as const, suppressed: false, overBudget: null };
    const rollback = proposal('deploy.rollback', { app: 'shop' });
    assert.equal(judge(k, rollback, { ...base, level: 'medium' }).choice, 'act');
    assert.equal(judge(k, { ...rollback, allowListed: false }, { ...base, level: 'medium' }).choice, 'escalate');
    assert.equal(judge(k, rollback, { ...base, level: 'medium', personality: 'cautious' }).choice, 'escalate');
    assert.equal(judge(k, rollback, { ...base, level: 'low' }).choice, 'report');
    assert.equal(judge(k, { ...rollback, allowListed: false, undo: { op: 'deploy.rollback', input: {}, description: 'fwd' } }, { ...base, level: 'high' }).choice, 'act');
    assert.equal(judge(k, { ...rollback, allowListed: false }, { ...base, level: 'high' }).choice, 'escalate');
    const over = judge(k, rollback, { ...base, level: 'medium', overBudget: 'churn budget: 10 action(s) in the last hour (limit 10)' });
    assert.equal(over.choice, 'escalate');
    assert.match(over.why, /churn budget/);
    assert.equal(judge(k, proposal('no.such.op', {}), { ...base, level: 'high' }).choice, 'reject');
    assert.match(judge(k, proposal('deploy.rollback', { app: 5 }), { ...base, level: 'high' }).why, /malformed input/);
    assert.equal(judge(k, proposal('halt.approve', { id: 'h' }), { ...base, level: 'high' }).choice, 'reject');
  });

  it('the hourly action budget survives a restart: what the agent did in the last hour still counts', async () => {
    const t2 = tempDir();
    const k1 = new Kernel(allModules(), { dataDir: t2.dir });
    const now = Date.now();
    const acted = (minutesAgo: number, choice = 'act', shadow = false) =>
      k1.services.agent.journal.add({
        incident: `app:x${minutesAgo}`, issueKey: 'k', beatId: null, kind: 'app.errors', subject: 'x', app: null, level: 'medium', shadow, observation: 'o',
        options: [], choice, why: 'w', action: { op: 'deploy.rollback', input: { app: 'x' } }, haltId: null, outcome: 'done', verification: null, undo: null,
        detectedAt: new Date(now - minutesAgo * 60_000).toISOString(), actedAt: new Date(now - minutesAgo * 60_000).toISOString(), detectToActionMs: 5,
      });
    acted(5);
    acted(20);
    acted(90); // over an hour ago
    acted(10, 'escalate'); // asked, did not act
    await k1.stop();
    const k2 = new Kernel(allModules(), { dataDir: t2.dir });
    try {
      assert.equal(k2.services.agent.budget.usedLastHour(), 2);
    } finally {
      await k2.stop();
      t2.cleanup();
    }
  });

  it('the journal keeps decisions 90 days', () => {
    const j = k.services.agent.journal;
    const d = j.add({
      incident: 'i', issueKey: 'k', beatId: null, kind: 'test', subject: 's', app: null, level: 'medium', shadow: false, observation: 'o',
      options: [], choice: 'none', why: 'w', action: null, haltId: null, outcome: 'x', verification: null, undo: null,
      detectedAt: new Date().toISOString(), actedAt: null, detectToActionMs: null,
    });
    const fresh = j.add({ ...d, options: [], action: null, undo: null, incident: 'fresh' });
    k.db.prepare('UPDATE agent_decisions SET at = ? WHERE id = ?').run(new Date(Date.now() - 91 * 86_400_000).toISOString(), d.id);
    assert.equal(j.prune(), 1);
    assert.equal(j.get(d.id), undefined);
    assert.ok(j.get(fresh.id));
  });
});
