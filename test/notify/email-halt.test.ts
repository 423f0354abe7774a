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

  it('mails the owner when a token makes a destructive call, naming the reason and how to approve', async () => {
    await s.op('apps.create', { name: 'shop' });
    // Stands in for the approvals area, which provides signed links as kernel.services.approvals.
    (s.kernel.services as { approvals?: unknown }).approvals = { linksFor: (id: string) => [{ label: 'Approve', url: `https://fazt.example.test/approve/${id}` }] };
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
    assert.ok(mail.includes(`<a href="https://fazt.example.test/approve/${haltId}">Approve</a>`), 'approval link as an HTML link');

    const denied = await s.op('halt.deny', { id: haltId }, { human: true });
    assert.equal(denied.status, 200, JSON.stringify(denied.body));
    const decided = text((await smtp.nth(3)).raw);
    assert.match(decided, /^Subject: .*denied/im);
    assert.ok(decided.includes(haltId));
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
