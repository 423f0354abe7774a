import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser } from 'playwright-core';
import { startServer, type TestServer } from '../helpers/server.js';
import { authorizeUrl, pkce, register, tokenRequest } from './raw-flow.js';

/** The consent page in a real browser: its CSP, Origin and form must let the owner through, and only the owner. */
describe('OAuth consent in Chromium', () => {
  let server: TestServer;
  let browser: Browser;
  let callback: Server;
  let redirectUri: string;
  const arrived: URL[] = [];
  let waiting: (() => void) | undefined;

  before(async () => {
    server = await startServer();
    callback = createServer((req, res) => {
      arrived.push(new URL(req.url ?? '/', 'http://x'));
      res.writeHead(200, { 'content-type': 'text/plain' }).end('back at the client');
      waiting?.();
    });
    await new Promise<void>((r) => callback.listen(0, '127.0.0.1', r));
    redirectUri = `http://127.0.0.1:${(callback.address() as AddressInfo).port}/cb`;
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
  });
  after(async () => {
    await browser?.close();
    callback.closeAllConnections();
    await new Promise((r) => callback.close(r));
    await server.close();
  });

  const nextCallback = () => new Promise<URL>((resolve) => {
    const seen = arrived.length;
    waiting = () => arrived.length > seen && resolve(arrived[arrived.length - 1]);
  });

  it('the owner types the key, clicks Allow, and the browser lands on the client with a code that works', async () => {
    const client = (await register(server.url, { client_name: 'Browser Client', redirect_uris: [redirectUri], token_endpoint_auth_method: 'none' })).json;
    const { verifier, challenge } = pkce();
    const page = await browser.newPage({ viewport: { width: 360, height: 800 } });
    try {
      await page.goto(authorizeUrl(server.url, client.client_id, redirectUri, challenge).href);
      assert.match(await page.title(), /Connect Browser Client to fazt\?/);
      assert.equal(await page.isChecked('input[value="kernel:apps:read"]'), true);
      assert.equal(await page.isChecked('input[value="kernel:*"]'), false);
      await page.fill('#owner_key', 'fzt_000000000000_' + 'y'.repeat(43));
      await page.click('button[value="allow"]');
      await page.waitForSelector('text=That is not the owner key.');
      const landed = nextCallback();
      await page.fill('#owner_key', server.token);
      await page.click('button[value="allow"]');
      const back = await landed;
      assert.equal(back.searchParams.get('state'), 's1');
      assert.equal(back.searchParams.get('iss'), server.url);
      const code = back.searchParams.get('code')!;
      const t = await tokenRequest(server.url, { grant_type: 'authorization_code', code, code_verifier: verifier, redirect_uri: redirectUri, client_id: client.client_id });
      assert.equal(t.status, 200, JSON.stringify(t.json));
      assert.ok(t.json.scope.split(' ').every((c: string) => c.endsWith(':read')));
    } finally {
      await page.close();
    }
  });

  it('a form on another site that posts to /authorize is refused', async () => {
    const client = (await register(server.url, { client_name: 'Victim', redirect_uris: [redirectUri], token_endpoint_auth_method: 'none' })).json;
    const evil = createServer((_req, res) => {
      const u = authorizeUrl(server.url, client.client_id, redirectUri, pkce().challenge);
      const fields = [...u.searchParams].map(([k, v]) => `<input type="hidden" name="${k}" value="${v}">`).join('');
      res.writeHead(200, { 'content-type': 'text/html' }).end(`<form method="post" action="${server.url}/authorize">${fields}
<input name="owner_key" value="guess"><input name="decision" value="allow"><input name="cap" value="kernel:*"><button id="go">go</button></form>`);
    });
    await new Promise<void>((r) => evil.listen(0, '127.0.0.2', r));
    const page = await browser.newPage();
    try {
      const before = arrived.length;
      await page.goto(`http://127.0.0.2:${(evil.address() as AddressInfo).port}/`);
      const [response] = await Promise.all([page.waitForNavigation(), page.click('#go')]);
      assert.equal(response?.status(), 403);
      assert.match(await page.content(), /sent from another site/);
      assert.equal(arrived.length, before, 'nothing reached the client');
    } finally {
      await page.close();
      evil.closeAllConnections();
      await new Promise((r) => evil.close(r));
    }
  });
});
