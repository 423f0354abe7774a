import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { TestServer } from '../helpers/server.js';
import { loopbackReceiver, type LoopbackReceiver } from '../helpers/loopback-receiver.js';
import { agentAudit, agentServer, beat, decisions, ok, waitFor, WEBHOOK_SECRET } from './helpers.js';

describe('stale halts and failing channels', () => {
  let s: TestServer;
  let good: LoopbackReceiver;
  let broken: LoopbackReceiver;
  before(async () => {
    good = await loopbackReceiver(() => ({ status: 200 }));
    broken = await loopbackReceiver(() => ({ status: 404, body: 'no such hook' }));
    s = await agentServer();
    await ok(s, 'notify.channels.add', { type: 'webhook', name: 'phone', config: { url: good.url, secret: WEBHOOK_SECRET } });
    await ok(s, 'notify.channels.add', { type: 'webhook', name: 'old-hook', config: { url: broken.url, secret: WEBHOOK_SECRET } });
  });
  after(async () => {
    await s.close();
    await good.close();
    await broken.close();
  });

  it('a halt waiting too long gets a reminder, sent as the agent through notify.send', async () => {
    const t = await ok(s, 'tokens.create', { name: 'ci', cap: ['kernel:apps:*'] }, { human: true });
    await ok(s, 'apps.create', { name: 'old' });
    const h = await s.op('apps.delete', { id: 'old' }, { token: t.token });
    assert.equal(h.status, 202, JSON.stringify(h.body));
    // As if the call had waited two hours (pulse measures the age in hundredths of an hour).
    s.kernel.db.prepare('UPDATE halts SET created_at = ? WHERE id = ?').run(new Date(Date.now() - 2 * 3_600_000).toISOString(), h.body.haltId);
    await ok(s, 'pulse.configure', { thresholds: { haltStaleHours: 1 } });
    await beat(s);
    const [d] = await decisions(s, { kind: 'stale-halt' });
    assert.equal(d.choice, 'act');
    assert.equal(d.action.op, 'notify.send');
    const row = (await agentAudit(s)).find((r) => r.op === 'notify.send');
    assert.equal(row.surface, 'agent');
    assert.equal(row.outcome, 'ok');
    await waitFor('the reminder', () => good.received.some((r) => r.body.includes('Reminder: ')));
    assert.ok(good.received.some((r) => r.body.includes(`fazt halt approve ${h.body.haltId ?? h.body.halt?.haltId ?? ''}`)));
  });

  it('a channel that fails permanently: reports switch to the other channel, and the owner is told there', async () => {
    // The halt's question above already went to every channel, old-hook included, and failed there.
    await ok(s, 'notify.send', { channel: 'old-hook', title: 'hello', body: 'x', severity: 'info' });
    await waitFor('the switch', async () => (await decisions(s, { kind: 'notify-failing' })).length > 0);
    await s.kernel.services.agent.idle();
    const [d] = await decisions(s, { kind: 'notify-failing' });
    assert.equal(d.choice, 'act');
    assert.match(d.outcome, /switched to phone/);
    assert.deepEqual((await ok(s, 'agent.status')).config.channels, ['phone']);
    assert.equal((await decisions(s, { kind: 'notify-failing' })).length, 1, 'one incident however many deliveries fail');
    await waitFor('the notice', () => good.received.some((r) => r.body.includes("Notifications to 'old-hook' are failing")));
  });
});
