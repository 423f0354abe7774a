import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { makeConfig } from '../../src/kernel/config.js';
import { runCli, startServer, type TestServer } from '../helpers/server.js';
import { tempDir } from '../helpers/temp.js';

type Link = { label: string; url: string };

const site = [{ path: 'index.html', content: '<h1>doomed</h1>' }];

async function appExists(s: TestServer, name: string): Promise<boolean> {
  const r = await s.op('apps.list');
  return (r.body.apps as { name: string }[]).some((a) => a.name === name);
}

async function haltStatus(s: TestServer, id: string): Promise<string> {
  return (await s.op('halt.status', { id }, { human: true })).body.status;
}

/** A token (not a present human) asks to delete a deployed app: it becomes a halt. */
async function haltedDelete(s: TestServer, app: string, code?: string): Promise<{ haltId: string; links: Link[] }> {
  assert.equal((await s.op('deploy', { app, files: site })).status, 200);
  const tok = await s.op('tokens.create', { name: `bot-${app}`, cap: ['kernel:apps:*'], ...(code ? { code } : {}) }, { human: true });
  assert.equal(tok.status, 200, JSON.stringify(tok.body));
  const r = await s.op('apps.delete', { id: app }, { token: tok.body.token });
  assert.equal(r.status, 202, JSON.stringify(r.body));
  const links = s.kernel.services.approvals!.linksFor(r.body.haltId);
  return { haltId: r.body.haltId, links };
}

const linkFor = (links: Link[], label: string) => links.find((l) => l.label === label)!.url;

function nonceIn(html: string): string {
  const m = /name="nonce" value="([^"]+)"/.exec(html);
  assert.ok(m, 'the page carries a form nonce');
  return m[1];
}

function post(url: string, fields: Record<string, string>, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(url, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, body: new URLSearchParams(fields).toString() });
}

/** GET the page, then POST its form back, as a person tapping the button would. */
async function tap(url: string, extra: Record<string, string> = {}): Promise<Response> {
  const page = await fetch(url);
  assert.equal(page.status, 200, await page.clone().text());
  return post(url, { nonce: nonceIn(await page.text()), ...extra });
}

describe('approval links', () => {
  let s: TestServer;
  before(async () => (s = await startServer()));
  after(() => s.close());

  test('linksFor gives one link per halt option on the server URL', async () => {
    const { links } = await haltedDelete(s, 'listed');
    assert.deepEqual(links.map((l) => l.label), ['Approve', 'Deny']);
    for (const l of links) assert.ok(l.url.startsWith(`${s.url}/approve/`), l.url);
    assert.notEqual(links[0].url, links[1].url);
    assert.deepEqual(s.kernel.services.approvals!.linksFor('halt_nosuchhalt'), []);
  });

  test('GET renders what will run and changes nothing; POST with its nonce approves through halt.approve', async () => {
    const { haltId, links } = await haltedDelete(s, 'doomed');
    const url = linkFor(links, 'Approve');

    const page = await fetch(url);
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-type')!, /^text\/html/);
    assert.equal(page.headers.get('content-security-policy'), "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'");
    assert.equal(page.headers.get('x-frame-options'), 'DENY');
    assert.equal(page.headers.get('referrer-policy'), 'no-referrer');
    assert.equal(page.headers.get('cache-control'), 'no-store');
    const html = await page.text();
    const halt = s.kernel.halts.get(haltId)!;
    assert.ok(html.includes(halt.reason.replace(/'/g, '&#39;')), 'names the reason');
    assert.ok(html.includes('apps.delete'), 'names the op');
    assert.ok(html.includes('doomed'), 'summarises the input');
    assert.ok(html.includes('bot-doomed'), 'names who asked');
    assert.ok(html.includes(halt.expiresAt), 'says when it expires');
    assert.match(html, /<form method="post"/);
    assert.ok(!/fzt_[a-f0-9]{12}_[A-Za-z0-9_-]{8}/.test(html), 'no token on the page');
    assert.ok(!/<script/i.test(html), 'no script');
    // Scanners fetch links: any number of GETs changes nothing.
    await fetch(url);
    assert.equal(await haltStatus(s, haltId), 'pending');
    assert.equal(await appExists(s, 'doomed'), true);

    const done = await post(url, { nonce: nonceIn(html) });
    const result = await done.text();
    assert.equal(done.status, 200, result);
    assert.match(result, /approved/i);
    assert.equal(await haltStatus(s, haltId), 'approved');
    assert.equal(await appExists(s, 'doomed'), false);

    const decision = s.kernel.audit.query({ op: 'halt.approve', limit: 5 }).find((r) => (r.input as { id?: string }).id === haltId);
    assert.ok(decision, 'the decision is audited');
    assert.equal(decision.caller, 'approval-link');
    assert.equal(decision.surface, 'http');
    assert.equal(decision.outcome, 'ok');
    const ran = s.kernel.audit.query({ op: 'apps.delete', limit: 10 }).find((r) => r.surface === 'halt' && r.haltId === haltId);
    assert.ok(ran, 'the halted call ran under the halt');

    // Single use: the same link again is refused, on GET and POST.
    const again = await fetch(url);
    assert.equal(again.status, 410);
    assert.match(await again.text(), /already been used/);
    const repost = await post(url, { nonce: nonceIn(html) });
    assert.equal(repost.status, 410);
    // The other option's link is refused now the halt is decided.
    const deny = await fetch(linkFor(links, 'Deny'));
    assert.equal(deny.status, 409);
    assert.match(await deny.text(), /already approved/);
    const denyPost = await post(linkFor(links, 'Deny'), { nonce: 'x.y' });
    assert.equal(denyPost.status, 409);
    assert.equal(await haltStatus(s, haltId), 'approved');
  });

  test('a Deny link denies: the call never runs', async () => {
    const { haltId, links } = await haltedDelete(s, 'kept');
    const r = await tap(linkFor(links, 'Deny'));
    assert.equal(r.status, 200);
    assert.match(await r.text(), /denied/i);
    assert.equal(await haltStatus(s, haltId), 'denied');
    assert.equal(await appExists(s, 'kept'), true);
    assert.equal((await fetch(linkFor(links, 'Approve'))).status, 409, 'the Approve page is refused too');
  });

  test('a tampered token is refused and changes nothing', async () => {
    const { haltId, links } = await haltedDelete(s, 'tampered');
    const url = linkFor(links, 'Approve');
    const at = url.length - 5;
    const bad = url.slice(0, at) + (url[at] === 'A' ? 'B' : 'A') + url.slice(at + 1);
    const page = await fetch(bad);
    assert.equal(page.status, 400);
    assert.match(await page.text(), /not valid/);
    assert.equal(page.headers.get('cache-control'), 'no-store');
    // A nonce from the real page does not carry over to a forged token.
    const real = nonceIn(await (await fetch(url)).text());
    assert.equal((await post(bad, { nonce: real })).status, 400);
    // Nor does a token for another halt or option signed by someone else.
    const forged = `${s.url}/approve/${Buffer.from(JSON.stringify({ h: haltId, o: 'Approve', e: Date.now() + 60_000 })).toString('base64url')}.AAAA`;
    assert.equal((await post(forged, { nonce: real })).status, 400);
    assert.equal(await haltStatus(s, haltId), 'pending');
    assert.equal(await appExists(s, 'tampered'), true);
  });

  test('a POST without the nonce of a rendered page is refused (cross-site)', async () => {
    const { haltId, links } = await haltedDelete(s, 'csrf');
    const url = linkFor(links, 'Approve');
    assert.equal((await post(url, {})).status, 400);
    assert.equal((await post(url, { nonce: 'abc.def' })).status, 400);
    const page = await post(url, {}, { origin: 'https://evil.example' });
    assert.equal(page.status, 400);
    assert.match(await page.text(), /Open the link again/);
    assert.equal(await haltStatus(s, haltId), 'pending');
    assert.equal(await appExists(s, 'csrf'), true);
    // Refusals did not use the link up: the real page still works.
    assert.equal((await tap(url)).status, 200);
    assert.equal(await haltStatus(s, haltId), 'approved');
  });

  test('an expired link is refused and changes nothing', async () => {
    const { haltId, links } = await haltedDelete(s, 'late');
    const url = linkFor(links, 'Approve');
    const html = await (await fetch(url)).text();
    const approvals = s.kernel.services.approvals!;
    const expiresAt = Date.parse(s.kernel.halts.get(haltId)!.expiresAt);
    approvals.clock = () => expiresAt + 1;
    try {
      const page = await fetch(url);
      assert.equal(page.status, 410);
      assert.match(await page.text(), /expired/);
      assert.equal((await post(url, { nonce: nonceIn(html) })).status, 410);
    } finally {
      approvals.clock = Date.now;
    }
    assert.equal(await haltStatus(s, haltId), 'pending');
    assert.equal(await appExists(s, 'late'), true);
  });

  test('with TOTP on, the page asks for a code and the POST needs a valid one', async () => {
    const { currentCode } = await import('../../src/auth/totp.js');
    const en = await s.op('auth.totp.enable', {}, { human: true });
    assert.equal((await s.op('auth.totp.confirm', { code: currentCode(en.body.secret, 'localhost') }, { human: true })).status, 200);
    try {
      const { haltId, links } = await haltedDelete(s, 'second-factor', currentCode(en.body.secret, 'localhost'));
      const url = linkFor(links, 'Approve');
      const html = await (await fetch(url)).text();
      assert.match(html, /name="code"/);
      const none = await post(url, { nonce: nonceIn(html) });
      assert.equal(none.status, 401);
      const wrong = await post(url, { nonce: nonceIn(html), code: '000000' === currentCode(en.body.secret, 'localhost') ? '111111' : '000000' });
      assert.equal(wrong.status, 401);
      assert.match(await wrong.text(), /not valid/);
      assert.equal(await haltStatus(s, haltId), 'pending');
      assert.equal(await appExists(s, 'second-factor'), true);
      // A wrong code leaves the link usable, up to a limit (a leaked link is no code oracle).
      const other = await haltedDelete(s, 'guessed', currentCode(en.body.secret, 'localhost'));
      const guessUrl = linkFor(other.links, 'Approve');
      const guessNonce = nonceIn(await (await fetch(guessUrl)).text());
      const bad = '000000' === currentCode(en.body.secret, 'localhost') ? '111111' : '000000';
      for (let i = 0; i < 4; i++) assert.equal((await post(guessUrl, { nonce: guessNonce, code: bad })).status, 401, `guess ${i + 1}`);
      const fifth = await post(guessUrl, { nonce: guessNonce, code: bad });
      assert.equal(fifth.status, 410);
      assert.match(await fifth.text(), /Too many wrong authenticator codes/);
      const spent = await post(guessUrl, { nonce: guessNonce, code: currentCode(en.body.secret, 'localhost') });
      assert.equal(spent.status, 410, 'after five wrong codes even the right one is refused');
      assert.equal(await haltStatus(s, other.haltId), 'pending');
      assert.equal(await appExists(s, 'guessed'), true);

      const ok = await tap(url, { code: currentCode(en.body.secret, 'localhost') });
      assert.equal(ok.status, 200, await ok.clone().text());
      assert.equal(await haltStatus(s, haltId), 'approved');
      assert.equal(await appExists(s, 'second-factor'), false);
    } finally {
      await s.op('auth.totp.disable', { code: currentCode(en.body.secret, 'localhost') }, { human: true });
    }
  });

  test('/approve/ belongs to kernel hosts only: on an app host it is the app\'s path', async () => {
    const { links } = await haltedDelete(s, 'apphost');
    const path = new URL(linkFor(links, 'Approve')).pathname;
    const onApp = await s.get(path, 'apphost.localhost');
    assert.notEqual(onApp.headers.get('content-security-policy'), "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'");
    assert.equal((await s.get(path)).status, 200);
  });

  test('other methods are refused', async () => {
    const { links } = await haltedDelete(s, 'methods');
    const r = await fetch(linkFor(links, 'Approve'), { method: 'DELETE' });
    assert.equal(r.status, 405);
    assert.equal(r.headers.get('allow'), 'GET, HEAD, POST');
  });

  test('the signing key is made once and kept in the secrets store', () => {
    assert.equal(s.kernel.services.secrets.has('approvals.key'), true);
    assert.equal(Buffer.from(s.kernel.services.secrets.get('approvals.key')!, 'base64').length, 32);
  });
});

describe('public URL', () => {
  test('links use --public-url when set', async () => {
    const s = await startServer({ publicUrl: 'https://fazt.example.com/' });
    try {
      // Before any link was made, a made-up one is refused and no signing key is created.
      const bogus = await fetch(`${s.url}/approve/eyJoIjoiaCJ9.AAAA`);
      assert.equal(bogus.status, 400);
      assert.equal(s.kernel.services.secrets.has('approvals.key'), false);
      assert.equal(s.kernel.config.publicUrl, 'https://fazt.example.com');
      const { links } = await haltedDelete(s, 'remote');
      for (const l of links) assert.match(l.url, /^https:\/\/fazt\.example\.com\/approve\/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    } finally {
      await s.close();
    }
  });

  test('a public URL that is not http(s) is refused with a clear error', async () => {
    assert.throws(() => makeConfig({ publicUrl: 'ftp://fazt.example.com' }), /public URL .*http:\/\/ or https:\/\//);
    assert.throws(() => makeConfig({ publicUrl: 'not a url' }), /public URL/);
    const dir = tempDir();
    try {
      const r = await runCli(['server', 'start', '--port', '0', '--public-url', 'javascript:alert(1)'], { dataDir: dir.dir, killAfterMs: 10_000 });
      assert.equal(r.code, 2, r.stderr + r.stdout);
      assert.match(r.stderr, /--public-url/);
      const env = await runCli(['server', 'start', '--port', '0'], { dataDir: dir.dir, env: { FAZT_PUBLIC_URL: 'ftp://x' }, killAfterMs: 10_000 });
      assert.equal(env.code, 2, env.stderr + env.stdout);
      assert.match(env.stderr, /FAZT_PUBLIC_URL/);
    } finally {
      dir.cleanup();
    }
  });
});

describe('approval links after a crash mid-decision', () => {
  test('a link claimed by a process that stopped before deciding works again after restart', async () => {
    const dir = tempDir();
    try {
      let s = await startServer({ dataDir: dir.dir });
      const { haltId, links } = await haltedDelete(s, 'cut-short');
      const approve = linkFor(links, 'Approve');
      const token = approve.slice(approve.lastIndexOf('/') + 1);
      const c = s.kernel.services.approvals!.check(token);
      assert.ok(c.ok);
      // The claim is written, then the process dies before the decision runs.
      assert.equal(s.kernel.services.approvals!.used.claim(c.hash, haltId, 'Approve'), true);
      assert.equal((await fetch(approve)).status, 410, 'while claimed, the link is spent');
      await s.close();
      s = await startServer({ dataDir: dir.dir });
      const again = linkFor(s.kernel.services.approvals!.linksFor(haltId), 'Approve');
      assert.equal(again.slice(again.lastIndexOf('/') + 1), token, 'the same link as before the crash');
      const r = await tap(again.replace(/^http:\/\/[^/]+/, s.url));
      assert.equal(r.status, 200, await r.text());
      assert.equal(await haltStatus(s, haltId), 'approved');
      assert.equal(await appExists(s, 'cut-short'), false);
      await s.close();
    } finally {
      dir.cleanup();
    }
  });
});
