import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startServer, type TestServer } from '../helpers/server.js';
import { hookReceiver, type HookReceiver } from './receivers.js';

const SECRET = 'whsec_' + Buffer.from('rules-digest-signing-key-0123456789').toString('base64');
const titles = (h: HookReceiver) => h.received.map((r) => JSON.parse(r.body).title as string);

describe('notify: routing rules', () => {
  let s: TestServer;
  let ops: HookReceiver;
  let shop: HookReceiver;
  before(async () => {
    ops = await hookReceiver();
    shop = await hookReceiver();
    s = await startServer();
    assert.equal((await s.op('notify.channels.add', { type: 'webhook', name: 'ops', config: { url: ops.url, secret: SECRET } })).status, 200);
    assert.equal((await s.op('notify.channels.add', { type: 'webhook', name: 'shop', config: { url: shop.url, secret: SECRET } })).status, 200);
  });
  after(async () => {
    await s.close();
    await ops.close();
    await shop.close();
  });

  it('lists the built-in rules until they are replaced', async () => {
    const r = await s.op('notify.rules.list', {});
    assert.equal(r.status, 200);
    assert.equal(r.body.isDefault, true);
    assert.deepEqual(r.body.rules[0], { events: 'system.halt.created', deliver: 'now' });
  });

  it("an app's events reach only the channel its rule names", async () => {
    const set = await s.op('notify.rules.set', { rules: [{ events: 'app:shop.order.*', channels: ['shop'], deliver: 'now' }, { events: 'system.halt.created', deliver: 'off' }] });
    assert.equal(set.status, 200, JSON.stringify(set.body));
    assert.equal(set.body.isDefault, false);
    const sent = s.kernel.events.next('system.notify.sent');
    assert.equal((await s.op('events.emit', { type: 'app:shop.order.paid', data: { title: 'Order 17 paid', total: 42 } })).status, 200);
    await sent;
    assert.deepEqual(titles(shop), ['Order 17 paid']);
    assert.deepEqual(titles(ops), []);
    // No rule for this one: nothing is sent.
    await s.op('events.emit', { type: 'app:shop.cart.viewed', data: {} });
    // A halt with its rule off: no question goes out.
    await s.op('apps.create', { name: 'victim' });
    const t = await s.op('tokens.create', { name: 'bot', cap: ['kernel:apps:write'] }, { human: true });
    assert.equal((await s.op('apps.delete', { id: 'victim' }, { token: t.body.token })).status, 202);
    await s.op('events.emit', { type: 'app:shop.order.refunded', data: { title: 'Order 17 refunded' } });
    await s.kernel.events.next('system.notify.sent');
    assert.deepEqual(titles(shop), ['Order 17 paid', 'Order 17 refunded']);
    assert.deepEqual(titles(ops), []);
  });

  it("the agent's decisions can be routed: what it did is said in words; doing nothing says nothing", async () => {
    const set = await s.op('notify.rules.set', { rules: [{ events: 'system.agent.decision', channels: ['ops'], deliver: 'now' }] });
    assert.equal(set.status, 200, JSON.stringify(set.body));
    const sent = s.kernel.events.next('system.notify.sent');
    s.kernel.events.emit({ type: 'system.agent.decision', source: 'system', data: { id: 7, incident: 'app:shop', kind: 'bad-deploy', choice: 'none', outcome: 'nothing done' } });
    s.kernel.events.emit({ type: 'system.agent.decision', source: 'system', data: { id: 8, incident: 'app:shop', kind: 'bad-deploy', choice: 'act', outcome: 'done' } });
    await sent;
    assert.deepEqual(titles(ops), ['The agent acted: bad-deploy on app:shop']);
    assert.match(JSON.parse(ops.received[0].body).body, /fazt agent explain 8/);
  });

  it('refuses unknown channels, unknown fields and rules on notifications\' own events, keeping the rules', async () => {
    const unknown = await s.op('notify.rules.set', { rules: [{ events: '*', channels: ['pager'], deliver: 'now' }] });
    assert.equal(unknown.status, 400);
    assert.match(unknown.body.error.message, /no channel named pager; channels: ops, shop/);
    const loop = await s.op('notify.rules.set', { rules: [{ events: 'system.notify.sent', deliver: 'now' }] });
    assert.equal(loop.status, 400);
    assert.match(loop.body.error.message, /cannot be routed/);
    const field = await s.op('notify.rules.set', { rules: [{ events: '*', deliver: 'now', when: 'always' }] });
    assert.equal(field.status, 400);
    const level = await s.op('notify.rules.set', { rules: [{ events: '*', deliver: 'loudly' }] });
    assert.equal(level.status, 400);
    assert.match(JSON.stringify(level.body), /now|digest|off/);
    assert.equal((await s.op('notify.rules.list', {})).body.rules.length, 1, 'the rules set before are kept');
    const reset = await s.op('notify.rules.set', { reset: true });
    assert.equal(reset.body.isDefault, true);
  });
});

describe('notify: quiet hours, the digest and halt reminders (fake clock)', () => {
  let s: TestServer;
  let hook: HookReceiver;
  let now = Date.parse('2026-11-29T23:00:00Z');
  before(async () => {
    hook = await hookReceiver();
    s = await startServer();
    s.kernel.services.notify.now = () => now;
    // Only what notify itself sends is counted here: the agent's own questions are its tests' business.
    assert.equal((await s.op('agent.pause', {})).status, 200);
    assert.equal((await s.op('notify.channels.add', { type: 'webhook', name: 'phone', config: { url: hook.url, secret: SECRET } })).status, 200);
  });
  after(async () => {
    await s.close();
    await hook.close();
  });

  it('refuses malformed settings by name', async () => {
    for (const [input, re] of [
      [{ quietHours: '22-07' }, /quietHours/],
      [{ timezone: 'Mars/Olympus' }, /IANA/],
      [{ digest: '8am' }, /digest/],
    ] as const) {
      const r = await s.op('notify.configure', input);
      assert.equal(r.status, 400, JSON.stringify(r.body));
      assert.match(r.body.error.message, re);
    }
  });

  it('in quiet hours only critical messages go out; the rest arrive in one digest at its time', async () => {
    const cfg = await s.op('notify.configure', { quietHours: '22:00-07:00', timezone: 'UTC', digest: '07:30' });
    assert.equal(cfg.status, 200, JSON.stringify(cfg.body));
    assert.equal(cfg.body.quietNow, true);
    await s.kernel.services.notify.runSchedules(now);
    const warn = await s.op('notify.send', { title: 'Disk at 85 %', body: 'It grows 1 % a day.', severity: 'warning' });
    assert.equal(warn.body.held, 'quiet');
    assert.deepEqual(warn.body.deliveries, []);
    const crit = await s.op('notify.send', { title: 'shop is down', body: 'Every request fails.', severity: 'critical' });
    assert.equal(crit.body.held, undefined);
    assert.equal(crit.body.deliveries[0].status, 'sent');
    // A pulse warning goes to the digest by the built-in rule, whatever the hour.
    s.kernel.events.emit({ type: 'system.pulse.issue', source: 'system', data: { key: 'disk.usage:/', severity: 'warning', subject: '/', title: 'Disk filling up', beatId: 1 } });
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(titles(hook), ['shop is down']);
    assert.equal((await s.op('notify.digest', {})).body.held.length, 2);

    now = Date.parse('2026-11-30T07:10:00Z');
    await s.kernel.services.notify.runSchedules(now);
    assert.deepEqual(titles(hook), ['shop is down'], 'not before the digest time');
    now = Date.parse('2026-11-30T07:31:00Z');
    await s.kernel.services.notify.runSchedules(now);
    assert.equal(hook.received.length, 2);
    const digest = JSON.parse(hook.received[1].body);
    assert.match(digest.title, /fazt digest: 2 messages/);
    assert.match(digest.body, /Disk at 85 %/);
    assert.match(digest.body, /Disk filling up/);
    // Once only.
    await s.kernel.services.notify.runSchedules(now + 60_000);
    assert.equal(hook.received.length, 2);
    assert.equal((await s.op('notify.digest', {})).body.held.length, 0);
  });

  it('reminds the channel a halt went to at half-time and an hour before its deadline, once each', async () => {
    assert.equal((await s.op('notify.configure', { quietHours: null })).status, 200);
    await s.op('apps.create', { name: 'old' });
    const t = await s.op('tokens.create', { name: 'bot', cap: ['kernel:apps:write'] }, { human: true });
    const halted = await s.op('apps.delete', { id: 'old' }, { token: t.body.token });
    assert.equal(halted.status, 202);
    const halt = s.kernel.halts.get(halted.body.haltId)!;
    await s.kernel.events.next('system.notify.sent');
    const before = hook.received.length;
    const created = Date.parse(halt.createdAt);
    const expires = Date.parse(halt.expiresAt);
    await s.kernel.services.notify.runSchedules(created + 60_000);
    assert.equal(hook.received.length, before, 'no reminder right away');
    const half = created + (expires - created) / 2 + 1000;
    await s.kernel.services.notify.runSchedules(half);
    await s.kernel.services.notify.runSchedules(half + 10_000);
    assert.equal(hook.received.length, before + 1);
    assert.match(JSON.parse(hook.received.at(-1)!.body).title, /^Reminder: approval needed/);
    await s.kernel.services.notify.runSchedules(expires - 3_500_000);
    assert.equal(hook.received.length, before + 2);
    assert.match(JSON.parse(hook.received.at(-1)!.body).title, /\(58 min left\)|\(59 min left\)/);
    await s.kernel.services.notify.runSchedules(expires - 3_000_000);
    assert.equal(hook.received.length, before + 2, 'each reminder once');
  });
});
