import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startServer, type TestServer } from '../helpers/server.js';
import { smtpReceiver } from './receivers.js';

const PASSWORD = 'smtp-canary-Pw-4f9a2c';

/** The raw message with quoted-printable soft breaks joined, so assertions read plain text. */
function text(raw: string): string {
  return raw.replace(/=\r?\n/g, '').replace(/=3D/g, '=');
}

describe('notify: e-mail through a real SMTP server on loopback', () => {
  let s: TestServer;
  let smtp: Awaited<ReturnType<typeof smtpReceiver>>;
  before(async () => {
    smtp = await smtpReceiver({ user: 'fazt', pass: PASSWORD });
    s = await startServer();
  });
  after(async () => {
    await s.close();
    await smtp.close();
  });

  it('adds an e-mail channel with its password in the secrets store and tests it', async () => {
    const add = await s.op('notify.channels.add', {
      type: 'email', name: 'mail',
      config: { host: '127.0.0.1', port: smtp.port, secure: false, user: 'fazt', password: PASSWORD, from: 'fazt@example.test', to: ['owner@example.test', 'ops@example.test'] },
    });
    assert.equal(add.status, 200, JSON.stringify(add.body));
    const list = await s.op('notify.channels.list', {});
    assert.ok(!JSON.stringify(list.body).includes(PASSWORD));
    assert.deepEqual(list.body.channels[0].secretsSet, ['password']);
    const t = await s.op('notify.channels.test', { name: 'mail' });
    assert.equal(t.status, 200, JSON.stringify(t.body));
    assert.equal(t.body.ok, true);
    assert.match(t.body.detail, /^250/);
    const mail = await smtp.nth(1);
    assert.equal(mail.user, 'fazt');
    assert.deepEqual(mail.to, ['owner@example.test', 'ops@example.test']);
  });

  it('mails the owner when a token makes a destructive call; the mailed approve link shows a page, and its button runs the call', async () => {
    await s.op('apps.create', { name: 'shop' });
    const { token } = s.kernel.tokens.create('assistant', 'token', ['kernel:apps:*'], null);
    const del = await s.op('apps.delete', { id: 'shop' }, { token });
    assert.equal(del.status, 202, JSON.stringify(del.body));
    const haltId = del.body.haltId as string;
    const halt = s.kernel.halts.get(haltId)!;
    const mail = text((await smtp.nth(2)).raw);
    assert.match(mail, /^Subject: .*Approval needed/m);
    assert.ok(mail.includes(halt.reason.slice(0, 30)), mail);
    assert.ok(mail.includes(`fazt halt approve ${haltId}`), mail);
    assert.ok(mail.includes('apps.delete'));
    assert.ok(mail.includes('assistant'));
    assert.ok(mail.includes(halt.expiresAt));
    assert.match(mail, /Content-Type: text\/html/);
    const approve = /<a href="([^"]+\/approve\/[^"]+)">Approve<\/a>/.exec(mail)?.[1];
    assert.ok(approve, 'the approval link is an HTML link in the mail');

    // A mail scanner fetching the link changes nothing.
    const page = await fetch(approve);
    assert.equal(page.status, 200);
    const nonce = /name="nonce" value="([^"]+)"/.exec(await page.text())?.[1];
    assert.ok(nonce);
    assert.equal(s.kernel.halts.get(haltId)!.status, 'pending');
    assert.equal((await s.op('apps.get', { id: 'shop' })).status, 200);

    const done = await fetch(approve, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', origin: new URL(approve).origin }, body: new URLSearchParams({ nonce }).toString() });
    assert.equal(done.status, 200, await done.text());
    assert.equal((await s.op('apps.get', { id: 'shop' })).status, 404, 'the approved call ran');
    const decided = text((await smtp.nth(3)).raw);
    assert.match(decided, /^Subject: .*approved/im);
    assert.ok(decided.includes(haltId));

    const again = await fetch(approve);
    assert.notEqual(again.status, 200, 'a used link is refused');
  });

  it('refuses a config that is not an address, naming the field', async () => {
    const bad = await s.op('notify.channels.add', { type: 'email', name: 'bad', config: { host: '127.0.0.1', port: smtp.port, secure: false, from: 'fazt', to: 'owner@example.test' } });
    assert.equal(bad.status, 400);
    assert.match(bad.body.error.message, /config\.from/);
  });

  it('marks a refused login failed at once, without the password in the error', async () => {
    const WRONG = 'wrong-canary-Pw-77e1b0';
    const add = await s.op('notify.channels.add', {
      type: 'email', name: 'badlogin',
      config: { host: '127.0.0.1', port: smtp.port, user: 'fazt', password: WRONG, from: 'fazt@example.test', to: 'owner@example.test' },
    });
    assert.equal(add.status, 200, JSON.stringify(add.body));
    const r = await s.op('notify.send', { channel: 'badlogin', title: 'x', body: 'y', severity: 'info' });
    assert.equal(r.body.deliveries[0].status, 'failed', JSON.stringify(r.body));
    assert.match(r.body.deliveries[0].error, /535|Invalid/);
    const t = await s.op('notify.channels.test', { name: 'badlogin' });
    assert.equal(t.body.ok, false);
    assert.equal(t.body.permanent, true);
    for (const o of [r, t, await s.op('notify.history', {}), await s.op('events.list', { type: 'system.notify.*' })]) assert.ok(!JSON.stringify(o.body).includes(WRONG));
  });

  it('keeps the password out of history, audit and events', async () => {
    const outputs = await Promise.all([s.op('notify.history', {}), s.op('audit.query', { limit: 200 }), s.op('events.list', { limit: 500 })]);
    for (const o of outputs) assert.ok(!JSON.stringify(o.body).includes(PASSWORD));
  });
});
