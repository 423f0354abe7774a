import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startServer, type TestServer } from '../helpers/server.js';
import { hookReceiver, verifyStandardWebhook, type HookReceiver } from './receivers.js';

const SECRET = 'whsec_' + Buffer.from('routing-signing-key-0123456789abcdef').toString('base64');

describe('notify: routing of pulse issues to every channel', () => {
  let s: TestServer;
  let hook: HookReceiver;
  before(async () => {
    hook = await hookReceiver();
    s = await startServer();
    assert.equal((await s.op('notify.channels.add', { type: 'webhook', config: { url: hook.url, secret: SECRET } })).status, 200);
  });
  after(async () => {
    await s.close();
    await hook.close();
  });

  it('sends an issue that turns critical, and not a warning', async () => {
    // Any real host uses more than 1 % of its memory and less than all of its disk.
    const cfg = await s.op('pulse.configure', { thresholds: { memoryWarningPercent: 1, memoryCriticalPercent: 1, diskWarningPercent: 1, diskCriticalPercent: 100 } });
    assert.equal(cfg.status, 200, JSON.stringify(cfg.body));
    const sent = s.kernel.events.next('system.notify.sent');
    const beat = await s.op('pulse.beat', {});
    assert.equal(beat.status, 200, JSON.stringify(beat.body));
    const keys = beat.body.issues.map((i: { key: string; severity: string }) => `${i.key}=${i.severity}`);
    assert.ok(JSON.stringify(keys).includes('memory.usage:host'), JSON.stringify(keys));
    await sent;
    // The agent may also ask about the disk warning (a halt): only pulse's own messages are counted here.
    const history = ((await s.op('notify.history', {})).body.deliveries as { messageId: string; title: string; severity: string }[]).filter((h) => h.messageId.startsWith('pulse:'));
    assert.equal(history.length, 1, JSON.stringify(history));
    assert.match(history[0].messageId, /^pulse:memory\.usage:host:/);
    assert.equal(history[0].severity, 'critical');
    const got = hook.received.find((r) => JSON.parse(r.body).id?.startsWith('pulse:'))!;
    assert.ok(verifyStandardWebhook(SECRET, got));
    assert.match(JSON.parse(got.body).title, /Memory/);
  });
});

describe('notify: a route turned off with --set', () => {
  let s: TestServer;
  let hook: HookReceiver;
  before(async () => {
    hook = await hookReceiver();
    s = await startServer({ extra: { 'notify.route.critical': 'false' } });
    assert.equal((await s.op('notify.channels.add', { type: 'webhook', config: { url: hook.url, secret: SECRET } })).status, 200);
  });
  after(async () => {
    await s.close();
    await hook.close();
  });

  it('sends no critical pulse issue when notify.route.critical=false', async () => {
    await s.op('pulse.configure', { thresholds: { memoryWarningPercent: 1, memoryCriticalPercent: 1 } });
    const beat = await s.op('pulse.beat', {});
    assert.ok(beat.body.issues.some((i: { key: string; severity: string }) => i.key === 'memory.usage:host' && i.severity === 'critical'));
    assert.deepEqual((await s.op('notify.history', {})).body.deliveries, []);
    assert.equal(hook.received.length, 0);
  });
});
