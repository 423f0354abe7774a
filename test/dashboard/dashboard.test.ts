import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import * as OTPAuth from 'otpauth';
import type { BrowserContext, Page } from 'playwright-core';
import { fetchWithHost, startServer, type TestServer } from '../helpers/server.js';
import { appRequest, deploy } from '../runtime/app-client.js';
import { tempDir } from '../helpers/temp.js';
import { launchChromium } from './browser.js';

const PASSWORD = 'correct horse battery staple';
// Screenshots land in FAZT_SCREENSHOTS (docs/screenshots to refresh the README's), else in a temp dir.
const shotsTmp = tempDir('fazt-shots-');
const SHOTS = process.env.FAZT_SCREENSHOTS ?? shotsTmp.dir;

describe('dashboard in Chromium', () => {
  let s: TestServer;
  let chromium: Awaited<ReturnType<typeof launchChromium>>;
  let ctx: BrowserContext;
  let page: Page;
  let totp: OTPAuth.TOTP;
  let admin: string;
  let outsider: Server;
  /** What Chromium refused under the dashboard's Content-Security-Policy, over every test. */
  const refused: string[] = [];

  const shot = (name: string, p = page) => p.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });

  async function signInThroughForm(p: Page, next: RegExp) {
    await p.waitForURL(/\/login\?next=/);
    await p.getByLabel('Password or owner key').fill(PASSWORD);
    await p.getByLabel('Authenticator code').fill(totp.generate());
    await p.getByRole('button', { name: 'Sign in' }).click();
    await p.waitForURL(next);
  }

  before(async () => {
    mkdirSync(SHOTS, { recursive: true });
    s = await startServer();
    admin = `http://admin.localhost:${new URL(s.url).port}`;
    assert.equal((await s.op('auth.password.set', { password: PASSWORD }, { human: true })).status, 200);
    const enrol = await s.op('auth.totp.enable', {}, { human: true });
    totp = new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(enrol.body.secret), digits: 6, period: 30, algorithm: 'SHA1' });
    assert.equal((await s.op('auth.totp.confirm', { code: totp.generate() }, { human: true })).status, 200);
    for (const v of ['v1', 'v2']) assert.equal((await s.op('deploy', { app: 'shop', files: [{ path: 'index.html', content: v }], message: v })).status, 200);
    // A page on a sibling subdomain (same site, another origin) that posts a form to the dashboard's API.
    const form = (action: string) =>
      `<form id="f" method="post" action="${action}" enctype="text/plain"><input name='{"slug":"csrf-victim","x":"' value='"}'></form><script>document.getElementById('f').submit()</script>`;
    assert.equal((await s.op('deploy', { app: 'evil', files: [{ path: 'index.html', content: form(`${admin}/api/ops/apps.create`) }] })).status, 200);
    // And one on another site altogether.
    outsider = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end(form(`${admin}/api/ops/apps.create`)));
    await new Promise<void>((r) => outsider.listen(0, '127.0.0.1', r));
    chromium = await launchChromium();
    ctx = await chromium.newContext();
    page = await ctx.newPage();
    page.on('console', (m) => void (/Content Security Policy|Refused to/i.test(m.text()) && refused.push(m.text())));
  });

  after(async () => {
    await chromium?.close();
    outsider?.close();
    await s?.close();
    shotsTmp.cleanup();
  });

  it('signs in with password and TOTP and comes back to the page asked for', async () => {
    await page.goto(`${admin}/#/approvals`, { waitUntil: 'commit' });
    await page.waitForURL(/\/login\?next=%2F%23%2Fapprovals/);
    await shot('sign-in');
    await signInThroughForm(page, /\/#\/approvals$/);
    await page.getByRole('heading', { name: 'Approvals', level: 1 }).waitFor();
  });

  it('shows health and a beat arriving live over the event stream', async () => {
    await page.goto(`${admin}/#/health`);
    await page.getByRole('status').filter({ hasText: 'Live' }).waitFor();
    const lastBeat = page.getByTestId('last-beat');
    await lastBeat.waitFor();
    const beat = await s.op('pulse.beat', {}, { human: true });
    assert.equal(beat.status, 200);
    await page.getByTestId('last-beat').filter({ hasText: `#${beat.body.id},` }).waitFor();
    await page.getByRole('img', { name: /^Memory used:/ }).waitFor();
    await shot('health');
  });

  it('a new halt appears live; approving it with one click (and the TOTP code) deletes the app', async () => {
    await s.op('deploy', { app: 'doomed', files: [{ path: 'index.html', content: 'bye' }] });
    await page.goto(`${admin}/#/approvals`);
    await page.getByText('Nothing waits for approval.').waitFor();
    // Asked while the page is open: it arrives over the event stream, without a reload.
    const halted = await s.op('apps.delete', { id: 'doomed' });
    assert.equal(halted.status, 202);
    const card = page.locator(`[data-halt="${halted.body.haltId}"]`);
    await card.getByText('apps.delete').waitFor();
    await shot('approvals');
    await card.getByLabel('Authenticator code').fill(totp.generate());
    await card.getByRole('button', { name: 'Approve apps.delete' }).click();
    await page.getByRole('status').filter({ hasText: 'approved' }).waitFor();
    assert.equal((await s.op('apps.get', { id: 'doomed' })).status, 404);
    await page.goto(`${admin}/#/apps`);
    await page.getByRole('link', { name: 'shop', exact: true }).waitFor();
    assert.equal(await page.getByRole('link', { name: 'doomed', exact: true }).count(), 0);
    await shot('apps');
  });

  it('rolls an app back to an earlier version', async () => {
    await page.goto(`${admin}/#/apps/shop`);
    await page.locator('[data-version="2"]').getByText('live').waitFor();
    await shot('app-detail');
    await page.getByRole('button', { name: 'Roll back to version 1' }).click();
    await page.locator('[data-version="1"]').getByText('live').waitFor();
    assert.equal((await s.get('/', 'shop.localhost')).status, 200);
    assert.equal(await (await s.get('/', 'shop.localhost')).text(), 'v1');
  });

  it("adds a custom domain to an app and shows its certificate's state, then removes it", async () => {
    await page.goto(`${admin}/#/apps/shop`);
    await page.getByLabel('Domain', { exact: true }).fill('shop.example.test');
    await page.getByRole('button', { name: 'Add domain' }).click();
    await page.getByRole('link', { name: 'shop.example.test' }).waitFor();
    const listed = (await s.op('apps.domains.list', { app: 'shop' })).body.domains;
    assert.deepEqual(listed.map((d: { domain: string }) => d.domain), ['shop.example.test']);
    await shot('app-domains');
    page.once('dialog', (d) => void d.accept());
    await page.getByRole('button', { name: 'Remove the domain shop.example.test' }).click();
    await page.getByRole('status').filter({ hasText: 'shop.example.test was removed' }).waitFor();
    assert.deepEqual((await s.op('apps.domains.list', { app: 'shop' })).body.domains, []);
  });

  it('tails an app\'s logs live, with a filter', async () => {
    const talker = 'export default (req) => { fazt.log.info("said " + req.query.m); return { body: "ok" } }';
    assert.equal((await deploy(s, 'talker', { 'api/main.js': talker })).status, 200);
    await page.goto(`${admin}/#/apps/talker`);
    await page.getByLabel('Contains').fill('said keep');
    await page.getByLabel('Live tail').check();
    await page.getByRole('status').filter({ hasText: 'live' }).waitFor();
    for (const m of ['drop-1', 'keep-1', 'drop-2', 'keep-2']) assert.equal((await appRequest(s, 'talker', `/api/x?m=${m}`)).status, 200);
    const box = page.getByLabel('Log lines');
    await box.getByText('info said keep-2').waitFor();
    await box.getByText('info said keep-1').waitFor();
    assert.equal(await box.getByText('drop-').count(), 0, 'the filter applies to the live tail');
  });

  it('creates a token shown once, lists it, and the token works as picked', async () => {
    await page.goto(`${admin}/#/tokens`);
    await page.getByLabel('Name').fill('ci-reader');
    await page.getByLabel('kernel:apps', { exact: true }).selectOption('read');
    await page.getByLabel('Authenticator code').fill(totp.generate());
    await page.getByRole('button', { name: 'Create token' }).click();
    const secret = (await page.getByTestId('new-token').textContent())!.trim();
    assert.match(secret, /^fzt_[a-f0-9]{12}_/);
    await page.locator('[data-token="ci-reader"]').getByText('kernel:apps:read').waitFor();
    await shot('tokens');
    assert.equal((await s.op('apps.list', {}, { token: secret })).status, 200);
    assert.equal((await s.op('apps.create', { slug: 'nope' }, { token: secret })).status, 403);
  });

  it('shows the audit trail filtered, the agent state and the settings', async () => {
    await page.goto(`${admin}/#/audit`);
    const tokensCreate = page.getByRole('cell', { name: 'tokens.create', exact: true });
    await tokensCreate.first().waitFor();
    await page.getByLabel('Operation').fill('halt.approve');
    await page.getByRole('button', { name: 'Filter' }).click();
    await tokensCreate.first().waitFor({ state: 'detached' });
    await page.getByRole('cell', { name: 'halt.approve', exact: true }).first().waitFor();
    await shot('audit');
    await page.goto(`${admin}/#/agent`);
    await page.getByRole('heading', { name: 'Agent', level: 1 }).waitFor();
    const ops = (await s.op('ops.list')).body.ops.map((o: { name: string }) => o.name);
    if (!ops.includes('agent.status')) await page.getByText('The agent is not available on this server').waitFor();
    await shot('agent');
    await page.goto(`${admin}/#/settings`);
    await page.getByRole('heading', { name: 'AI providers' }).waitFor();
    await page.getByText('this one').waitFor();
    await page.getByLabel('Provider', { exact: true }).selectOption('openai');
    await page.getByLabel('API key').fill('sk-dashboard-test-key-123456');
    await page.getByRole('button', { name: 'Save provider' }).click();
    await page.getByText('key stored').waitFor();
    assert.doesNotMatch(await page.content(), /sk-dashboard-test-key/, 'a stored key is never shown again');
    await shot('settings');
    // Servers, certificates and backups: what is set up, and a backup made from the page.
    await page.getByRole('heading', { name: 'Servers, DNS and domains' }).waitFor();
    await page.getByRole('cell', { name: 'Hetzner Cloud' }).first().waitFor();
    await page.getByRole('heading', { name: 'Certificates' }).waitFor();
    await page.getByRole('button', { name: 'Back up now' }).click();
    await page.getByRole('status').filter({ hasText: /Backup bk-.* made/ }).waitFor();
    const backups = (await s.op('backup.list', {})).body.backups;
    assert.equal(backups.length, 1);
    assert.equal(backups[0].note, 'from the dashboard');
    await shot('settings-infra');
  });

  it('a cross-site form post, or one from a sibling app, is refused and creates nothing', async () => {
    const p = await ctx.newPage();
    // Chromium counts each *.localhost name as its own site, so neither post carries the
    // SameSite=Lax cookie; a same-site sibling that would is refused by its Sec-Fetch-Site
    // and Origin (sign-in.test.ts sends those headers over HTTP).
    for (const origin of [`http://evil.localhost:${new URL(s.url).port}/`, `http://127.0.0.1:${(outsider.address() as AddressInfo).port}/`]) {
      await p.goto(origin);
      await p.waitForURL(/\/api\/ops\/apps\.create$/);
      await p.getByText('Missing token').waitFor();
    }
    await p.close();
    assert.equal((await s.op('apps.get', { id: 'csrf-victim' })).status, 404);
  });

  it('works at 360 px wide, by keyboard, with visible focus', async () => {
    const narrow = await chromium.browser.newContext({ viewport: { width: 360, height: 780 } });
    const p = await narrow.newPage();
    await p.goto(`${admin}/#/approvals`, { waitUntil: 'commit' });
    await signInThroughForm(p, /\/#\/approvals$/);
    for (const name of ['health', 'approvals', 'apps', 'tokens', 'audit', 'settings']) {
      await p.goto(`${admin}/#/${name}`);
      await p.getByRole('heading', { level: 1 }).waitFor();
      const width = await p.evaluate<number>('document.documentElement.scrollWidth');
      assert.ok(width <= 360, `${name} is ${width} px wide at a 360 px viewport`);
      if (name === 'health' || name === 'approvals') await shot(`${name}-360`, p);
    }
    await p.goto(`${admin}/#/health`);
    await p.reload();
    await p.getByRole('heading', { name: 'Health', level: 1 }).waitFor();
    await p.keyboard.press('Tab');
    await p.keyboard.press('Tab');
    await p.keyboard.press('Tab');
    const focused = await p.evaluate<{ text: string; outline: string; width: string }>(
      '(() => { const el = document.activeElement, st = getComputedStyle(el); return { text: el.textContent, outline: st.outlineStyle, width: st.outlineWidth }; })()',
    );
    assert.equal(focused.text, 'Approvals');
    assert.equal(focused.outline, 'solid');
    assert.equal(focused.width, '3px');
    await p.keyboard.press('Enter');
    await p.waitForURL(/#\/approvals$/);
    await narrow.close();
  });

  it('an expired session goes back to sign-in and returns to the same page', async () => {
    await page.goto(`${admin}/#/tokens`);
    await page.getByRole('heading', { name: 'Tokens', level: 1 }).waitFor();
    s.kernel.db.prepare('UPDATE owner_sessions SET expires_at = ?').run(new Date(Date.now() - 1000).toISOString());
    // The page sends itself to sign-in as soon as its first call is refused: wait only for the reload to start.
    await page.reload({ waitUntil: 'commit' });
    await page.waitForURL(/\/login\?next=%2F%23%2Ftokens$/);
    await signInThroughForm(page, /\/#\/tokens$/);
    await page.getByRole('heading', { name: 'Tokens', level: 1 }).waitFor();
  });

  it('locks sign-in out after repeated wrong passwords', async () => {
    const p = await (await chromium.newContext()).newPage();
    await p.goto(`${admin}/login`);
    for (let i = 1; i <= 5; i++) {
      await p.getByLabel('Password or owner key').fill(`wrong password ${i}`);
      await p.getByLabel('Authenticator code').fill('000000');
      await p.getByRole('button', { name: 'Sign in' }).click();
      await p.getByRole('alert').waitFor();
    }
    await p.getByRole('alert').filter({ hasText: 'Too many failed sign-ins' }).waitFor();
    await shot('sign-in-locked', p);
    await p.getByLabel('Password or owner key').fill(PASSWORD);
    await p.getByLabel('Authenticator code').fill(totp.generate());
    await p.getByRole('button', { name: 'Sign in' }).click();
    await p.getByRole('alert').filter({ hasText: 'Too many failed sign-ins' }).waitFor();
    assert.match(p.url(), /\/login$/);
  });

  it('serves the dashboard under a strict Content-Security-Policy that nothing it did violated', async () => {
    const res = await fetchWithHost(s.url, '/', 'admin.localhost');
    const csp = res.headers.get('content-security-policy') ?? '';
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, /script-src 'self' 'sha256-[A-Za-z0-9+/]+=*'/);
    assert.match(csp, /frame-ancestors 'none'/);
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
    const js = await fetchWithHost(s.url, '/app.js', 'admin.localhost');
    assert.equal(js.headers.get('x-content-type-options'), 'nosniff');
    assert.equal(js.headers.get('content-security-policy'), null, 'the policy is for pages');
    // Another app is not the dashboard: its pages are its own business.
    assert.equal((await fetchWithHost(s.url, '/', 'shop.localhost')).headers.get('content-security-policy'), null);
    assert.deepEqual(refused, [], 'every page of the dashboard ran with nothing refused');
  });
});
