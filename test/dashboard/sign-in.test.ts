import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as OTPAuth from 'otpauth';
import { runCli, startServer, type TestServer } from '../helpers/server.js';
import { send, sessionOp, setCookieLine, signIn } from './session-client.js';

const PASSWORD = 'correct horse battery staple';

describe('owner sign-in over HTTP', () => {
  let s: TestServer;
  before(async () => {
    s = await startServer();
    const set = await s.op('auth.password.set', { password: PASSWORD }, { human: true });
    assert.equal(set.status, 200, JSON.stringify(set.body));
  });
  after(() => s.close());

  it('signs in with the password: HttpOnly SameSite=Lax session cookie, readable CSRF cookie, back to next', async () => {
    const { reply, session } = await signIn(s.url, { password: PASSWORD, next: '/#/tokens' });
    assert.equal(reply.status, 303);
    assert.equal(reply.headers.location, '/#/tokens');
    const line = setCookieLine(reply, 'fazt_session')!;
    assert.match(line, /HttpOnly/);
    assert.match(line, /SameSite=Lax/);
    assert.doesNotMatch(line, /Secure/, 'plain HTTP cannot carry a Secure cookie');
    assert.doesNotMatch(line, /Domain=/i, 'host-only: apps on sibling subdomains never get it');
    assert.doesNotMatch(setCookieLine(reply, 'fazt_csrf')!, /HttpOnly/);
    const list = await sessionOp(s.url, session!, 'auth.sessions.list');
    assert.equal(list.status, 200, list.text);
    const body = JSON.parse(list.text);
    assert.equal(body.passwordSet, true);
    assert.equal(body.sessions.filter((x: { current: boolean }) => x.current).length, 1);
    const rows = s.kernel.db.prepare('SELECT secret_hash FROM owner_sessions').all() as { secret_hash: string }[];
    const secret = /fazt_session=([^;]+)/.exec(session!.cookie)![1];
    assert.ok(rows.every((r) => r.secret_hash !== secret && r.secret_hash.length === 64), 'only a hash of the cookie is stored');
  });

  it('signs in with the owner key too', async () => {
    const { reply, session } = await signIn(s.url, { password: s.token });
    assert.equal(reply.status, 303);
    assert.ok(session);
  });

  it('signs in on the server\'s own host too, returning to a same-origin path with its query', async () => {
    const host = new URL(s.url).host;
    const next = '/authorize?client_id=abc&state=x%20y';
    const { reply, session } = await signIn(s.url, { password: PASSWORD, next }, host);
    assert.equal(reply.status, 303);
    assert.equal(reply.headers.location, next);
    const from = s.kernel.services.ownerSessions.fromRequest({ headers: { cookie: session!.cookie } });
    assert.ok(from && /^[a-f0-9]{16}$/.test(from.sessionId));
    assert.equal(s.kernel.services.ownerSessions.checkCsrf(from.sessionId, session!.csrf), true);
    assert.equal(s.kernel.services.ownerSessions.checkCsrf(from.sessionId, session!.csrf.slice(1)), false);
    assert.equal(s.kernel.services.ownerSessions.fromRequest({ headers: { cookie: 'fazt_session=forged' } }), null);
  });

  it('refuses off-site next= and falls back to the dashboard', async () => {
    for (const next of ['https://evil.example/', '//evil.example/x', '/\\evil.example']) {
      const { reply } = await signIn(s.url, { password: PASSWORD, next });
      assert.equal(reply.status, 303);
      assert.equal(reply.headers.location, '/', next);
    }
    const form = await send(s.url, '/login?next=//evil.example', { host: 'admin.localhost' });
    assert.match(form.text, /name="next" value="\/"/);
  });

  it('refuses a sign-in form not loaded from this server (no nonce cookie, or another origin)', async () => {
    const r = await send(s.url, '/login', {
      method: 'POST',
      host: 'admin.localhost',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ password: PASSWORD, nonce: 'made-up' }).toString(),
    });
    assert.equal(r.status, 403);
    assert.equal(setCookieLine(r, 'fazt_session'), undefined);
  });

  it('a session is the owner and a present human: it decides halts', async () => {
    await s.op('deploy', { app: 'doomed', files: [{ path: 'index.html', content: 'bye' }] });
    const halted = await s.op('apps.delete', { id: 'doomed' });
    assert.equal(halted.status, 202, 'the owner key over HTTP without presence is not a present human');
    const { session } = await signIn(s.url, { password: PASSWORD });
    const approve = await sessionOp(s.url, session!, 'halt.approve', { id: halted.body.haltId });
    assert.equal(approve.status, 200, approve.text);
    assert.equal(JSON.parse(approve.text).status, 'approved');
    assert.equal((await s.op('apps.get', { id: 'doomed' })).status, 404);
    const audit = await s.op('audit.query', { op: 'halt.approve' });
    assert.match(audit.body.entries[0].caller, /^owner-session:/);
  });

  it('CSRF: a state-changing call without the token, or with a wrong one, is refused and changes nothing', async () => {
    const { session } = await signIn(s.url, { password: PASSWORD });
    for (const csrf of [null, 'wrong-token']) {
      const r = await sessionOp(s.url, session!, 'tokens.create', { name: `csrf-${csrf}`, cap: ['kernel:apps:read'] }, { csrf });
      assert.equal(r.status, 403, r.text);
      assert.equal(JSON.parse(r.text).error.details.reason, 'csrf');
    }
    assert.equal((await s.op('tokens.list')).body.tokens.some((t: { name: string }) => t.name.startsWith('csrf-')), false);
    const ok = await sessionOp(s.url, session!, 'tokens.create', { name: 'from-dashboard', cap: ['kernel:apps:read'] });
    assert.equal(ok.status, 200, ok.text);
  });

  it('CSRF: a cross-site or sibling-app request is refused even with the token', async () => {
    const { session } = await signIn(s.url, { password: PASSWORD });
    const cases: Record<string, string>[] = [
      { origin: 'http://evil.example', 'sec-fetch-site': 'cross-site' },
      { origin: 'http://blog.localhost', 'sec-fetch-site': 'same-site' },
      { origin: 'http://evil.example' },
      { origin: 'null' },
    ];
    for (const headers of cases) {
      const r = await sessionOp(s.url, session!, 'apps.create', { slug: 'csrf-victim' }, { headers });
      assert.equal(r.status, 403, JSON.stringify(headers));
      assert.equal(JSON.parse(r.text).error.details.reason, 'cross-site');
    }
    assert.equal((await s.op('apps.get', { id: 'csrf-victim' })).status, 404);
  });

  it('sign-out needs the CSRF token, then the cookie no longer works', async () => {
    const { session } = await signIn(s.url, { password: PASSWORD });
    const headers = { cookie: session!.cookie, 'content-type': 'application/x-www-form-urlencoded', origin: 'http://admin.localhost' };
    const refused = await send(s.url, '/logout', { method: 'POST', host: 'admin.localhost', headers, body: 'csrf=nope' });
    assert.equal(refused.status, 403);
    assert.equal((await sessionOp(s.url, session!, 'auth.sessions.list')).status, 200);
    const out = await send(s.url, '/logout', { method: 'POST', host: 'admin.localhost', headers, body: `csrf=${session!.csrf}` });
    assert.equal(out.status, 303);
    assert.equal(out.headers.location, '/login');
    assert.match(setCookieLine(out, 'fazt_session')!, /Max-Age=0/);
    assert.equal((await sessionOp(s.url, session!, 'auth.sessions.list')).status, 401);
  });

  it('auth.sessions.revoke signs another browser out; an expired session is refused', async () => {
    const a = (await signIn(s.url, { password: PASSWORD })).session!;
    const b = (await signIn(s.url, { password: PASSWORD })).session!;
    const list = JSON.parse((await sessionOp(s.url, a, 'auth.sessions.list')).text).sessions as { id: string; current: boolean }[];
    const bId = JSON.parse((await sessionOp(s.url, b, 'auth.sessions.list')).text).sessions.find((x: { current: boolean }) => x.current).id;
    assert.ok(list.some((x) => x.id === bId));
    assert.equal((await sessionOp(s.url, a, 'auth.sessions.revoke', { id: bId })).status, 200);
    assert.equal((await sessionOp(s.url, b, 'auth.sessions.list')).status, 401);
    assert.equal((await sessionOp(s.url, a, 'auth.sessions.revoke', { id: bId })).status, 404);
    assert.equal((await sessionOp(s.url, a, 'auth.sessions.revoke', {})).status, 400);
    const aId = list.find((x) => x.current)!.id;
    s.kernel.db.prepare('UPDATE owner_sessions SET expires_at = ? WHERE id = ?').run(new Date(Date.now() - 1000).toISOString(), aId);
    assert.equal((await sessionOp(s.url, a, 'auth.sessions.list')).status, 401);
  });

  it('a too-short password is refused by name and the old one keeps working', async () => {
    const r = await s.op('auth.password.set', { password: 'short' }, { human: true });
    assert.equal(r.status, 400);
    assert.match(r.body.error.message, /at least 10 characters/);
    assert.equal((await s.op('auth.password.set', { password: 'x'.repeat(20) })).status, 403, 'only a present human sets the password');
    assert.equal((await signIn(s.url, { password: PASSWORD })).reply.status, 303);
    const audit = await s.op('audit.query', { op: 'auth.password.set' });
    assert.doesNotMatch(JSON.stringify(audit.body), /correct horse|xxxxxxxxxx/, 'the password never reaches the audit trail');
  });

  it('fazt auth password set --stdin sets it; without a terminal or --stdin it says how', async () => {
    const r = await runCli(['auth', 'password', 'set', '--stdin', '--json'], { dataDir: s.dataDir, env: { FAZT_URL: s.url }, input: 'another long password\n' });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(JSON.parse(r.stdout).set, true);
    assert.equal((await signIn(s.url, { password: 'another long password' })).reply.status, 303);
    assert.equal((await signIn(s.url, { password: PASSWORD })).reply.status, 401);
    const noTty = await runCli(['auth', 'password', 'set'], { dataDir: s.dataDir, env: { FAZT_URL: s.url } });
    assert.equal(noTty.code, 2);
    assert.match(noTty.stderr, /--stdin/);
    const arg = await runCli(['auth', 'password', 'set', 'hunter2hunter2'], { dataDir: s.dataDir, env: { FAZT_URL: s.url } });
    assert.equal(arg.code, 2);
    await s.op('auth.password.set', { password: PASSWORD }, { human: true });
  });

  it('with TOTP on, the code is needed too', async () => {
    const enrol = await s.op('auth.totp.enable', {}, { human: true });
    const totp = new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(enrol.body.secret), digits: 6, period: 30, algorithm: 'SHA1' });
    assert.equal((await s.op('auth.totp.confirm', { code: totp.generate() }, { human: true })).status, 200);
    const form = await send(s.url, '/login', { host: 'admin.localhost' });
    assert.match(form.text, /id="code"/);
    const missing = await signIn(s.url, { password: PASSWORD });
    assert.equal(missing.reply.status, 401);
    assert.match(missing.reply.text, /TOTP is enabled/);
    const ok = await signIn(s.url, { password: PASSWORD, code: totp.generate() });
    assert.equal(ok.reply.status, 303);
    await s.op('auth.totp.disable', { code: totp.generate() }, { human: true });
  });

  it('locks an address out after five failures, with backoff, even for the right password', async () => {
    for (let i = 1; i <= 4; i++) assert.equal((await signIn(s.url, { password: `wrong-${i}` })).reply.status, 401);
    const fifth = await signIn(s.url, { password: 'wrong-5' });
    assert.equal(fifth.reply.status, 429);
    assert.match(fifth.reply.text, /Too many failed sign-ins/);
    assert.equal(fifth.reply.headers['retry-after'], '30');
    const right = await signIn(s.url, { password: PASSWORD });
    assert.equal(right.reply.status, 429, 'locked out: not even checked');
    assert.equal(right.session, undefined);
    const audit = await s.op('audit.query', { op: 'auth.login', outcome: 'unauthenticated' });
    assert.ok(audit.body.entries.length >= 5);
    assert.doesNotMatch(JSON.stringify(audit.body), /wrong-\d/, 'attempted passwords are never recorded');
  });
});
