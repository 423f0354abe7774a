import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startServer, type TestServer } from '../helpers/server.js';
import { tempDir } from '../helpers/temp.js';
import { hookReceiver, verifyStandardWebhook, type HookReceiver } from './receivers.js';

const SECRET = 'whsec_' + Buffer.from('outbox-signing-key-0123456789abcdef').toString('base64');

/** The clock the notify service reads; tests move it instead of sleeping. */
function clockOn(s: TestServer, start: number): { at: number; advance(ms: number): number } {
  const c = { at: start, advance: (ms: number) => (c.at += ms) };
  s.kernel.services.notify.now = () => c.at;
  return c;
}

describe('notify: the outbox retries with backoff, survives a restart and delivers once', () => {
  const dir = tempDir();
  let s: TestServer;
  let hook: HookReceiver;
  before(async () => {
    hook = await hookReceiver();
    s = await startServer({ dataDir: dir.dir });
  });
  after(async () => {
    await s.close();
    await hook.close();
    dir.cleanup();
  });

  it('keeps a message pending with attempts and a next attempt when the receiver is down, and retries when the clock says so', async () => {
    const clock = clockOn(s, Date.parse('2026-01-01T00:00:00Z'));
    assert.equal((await s.op('notify.channels.add', { type: 'webhook', name: 'hook', config: { url: hook.url, secret: SECRET } })).status, 200);
    await hook.down();
    const sent = await s.op('notify.send', { title: 'Backup failed', body: 'target unreachable', severity: 'critical' });
    assert.equal(sent.status, 200, JSON.stringify(sent.body));
    assert.equal(sent.body.deliveries[0].status, 'pending');
    let row = (await s.op('notify.history', { channel: 'hook' })).body.deliveries[0];
    assert.equal(row.status, 'pending');
    assert.equal(row.attempts, 1);
    assert.equal(row.nextAttemptAt, '2026-01-01T00:00:30.000Z', '30 s after the first failure');
    assert.ok(row.lastError);

    assert.equal(await s.kernel.services.notify.deliverDue(clock.advance(10_000)), 0, 'not due yet');
    clock.advance(20_000);
    assert.equal(await s.kernel.services.notify.deliverDue(), 1);
    row = (await s.op('notify.history', { channel: 'hook' })).body.deliveries[0];
    assert.equal(row.attempts, 2);
    assert.equal(row.nextAttemptAt, '2026-01-01T00:01:30.000Z', 'the wait doubles to 60 s');
    assert.equal(hook.received.length, 0);

    // Restart on the same data dir with the receiver back: the row is resumed and delivered once.
    await s.close();
    await hook.up();
    s = await startServer({ dataDir: dir.dir });
    // Its retry time (00:01:30 on the test clock) is long past on the real one the new process starts with.
    assert.equal(await s.kernel.services.notify.resumed, 1, 'resumed on start');
    const later = clockOn(s, Date.parse('2026-01-01T00:01:31Z'));
    assert.equal(await s.kernel.services.notify.deliverDue(later.advance(3_600_000)), 0, 'nothing left to deliver');
    assert.equal(hook.received.length, 1, 'delivered exactly once');
    assert.ok(verifyStandardWebhook(SECRET, hook.received[0]));
    assert.equal(hook.received[0].headers['webhook-id'], sent.body.id);
    row = (await s.op('notify.history', { channel: 'hook' })).body.deliveries[0];
    assert.equal(row.status, 'sent');
    assert.equal(row.attempts, 3);
    assert.ok(row.sentAt);
    assert.equal(row.nextAttemptAt, null);
  });

  it('gives up after 24 hours of failures', async () => {
    const clock = clockOn(s, Date.parse('2026-02-01T00:00:00Z'));
    await hook.down();
    const sent = await s.op('notify.send', { channel: 'hook', title: 'Still failing', body: 'x', severity: 'info' });
    assert.equal(sent.body.deliveries[0].status, 'pending');
    for (let i = 0; i < 40; i++) await s.kernel.services.notify.deliverDue(clock.advance(3_600_000));
    const row = (await s.op('notify.history', { channel: 'hook', status: 'failed' })).body.deliveries.find((d: { messageId: string }) => d.messageId === sent.body.id);
    assert.ok(row, 'marked failed');
    assert.ok(row.attempts >= 24 && row.attempts <= 26, `attempts ${row.attempts}`);
    await hook.up();
  });

  it('marks a permanent refusal failed at once, and pulse raises notify.failing for the channel', async () => {
    s.kernel.services.notify.now = () => Date.now();
    hook.status = 400;
    const sent = await s.op('notify.send', { channel: 'hook', title: 'Refused', body: 'x', severity: 'info' });
    assert.equal(sent.body.deliveries[0].status, 'failed');
    assert.match(sent.body.deliveries[0].error, /HTTP 400/);
    const failed = await s.op('notify.history', { status: 'failed', since: '1h' });
    assert.ok(failed.body.deliveries.some((d: { messageId: string }) => d.messageId === sent.body.id));
    const beat = await s.op('pulse.beat', {});
    assert.equal(beat.status, 200, JSON.stringify(beat.body));
    const status = await s.op('pulse.status', {});
    const issue = status.body.issues.find((i: { key: string }) => i.key === 'notify.failing:hook');
    assert.ok(issue, JSON.stringify(status.body.issues));
    assert.equal(issue.severity, 'warning');
    hook.status = 200;
  });

  it('suppresses a duplicate message id per channel', async () => {
    const svc = s.kernel.services.notify;
    const msg = { id: 'dup-1', title: 'Once', body: 'only once', severity: 'info' as const };
    const before = hook.received.length;
    await svc.send(msg);
    await svc.send(msg);
    assert.equal(hook.received.length, before + 1);
  });
});
