import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Client, StreamableHTTPClientTransport, UnauthorizedError } from '@modelcontextprotocol/client';
import { startServer, type TestServer } from '../helpers/server.js';
import { startDocumentHost, startPlainHost, type DocumentHost } from './document-host.js';
import { consent, TestProvider } from './oauth-client.js';
import { authorizeUrl, pkce } from './raw-flow.js';

const REDIRECT = 'http://127.0.0.1:39200/callback';

function doc(clientId: string, extra: Record<string, unknown> = {}) {
  return { client_id: clientId, client_name: 'Document Client', client_uri: 'https://client.example', redirect_uris: [REDIRECT], grant_types: ['authorization_code', 'refresh_token'], token_endpoint_auth_method: 'none', ...extra };
}

describe('OAuth clients identified by a metadata document URL', () => {
  let host: DocumentHost;
  let server: TestServer;
  let guarded: TestServer;
  let slow: TestServer;
  before(async () => {
    host = await startDocumentHost();
    // This server may fetch from the document host on loopback (a test-only setting); `guarded` may not.
    server = await startServer({ extra: { 'oauth.cimd.allowPrivateOrigins': host.origin, 'oauth.cimd.caFile': host.caFile, 'oauth.cimd.fetchesPerMinute': '100' } });
    guarded = await startServer({ extra: { 'oauth.cimd.caFile': host.caFile, 'oauth.cimd.fetchesPerMinute': '2' } });
    slow = await startServer({ extra: { 'oauth.cimd.allowPrivateOrigins': host.origin, 'oauth.cimd.caFile': host.caFile, 'oauth.cimd.timeout': '300ms' } });
  });
  after(async () => {
    await server.close();
    await guarded.close();
    await slow.close();
    await host.close();
  });

  const page = async (base: string, clientId: string) => {
    const r = await fetch(authorizeUrl(base, clientId, REDIRECT, pkce().challenge), { redirect: 'manual' });
    return { status: r.status, location: r.headers.get('location'), text: await r.text() };
  };

  it('the SDK client uses its document URL as client_id, without registering', async () => {
    const url = `${host.origin}/clients/assistant.json`;
    host.docs.set('/clients/assistant.json', doc(url));
    const provider = new TestProvider(REDIRECT, 'Document Client', { clientMetadataUrl: url });
    const transport = new StreamableHTTPClientTransport(new URL(`${server.url}/mcp`), { authProvider: provider });
    const client = new Client({ name: 'cimd-test', version: '1.0.0' });
    await assert.rejects(client.connect(transport as never), (err) => err instanceof UnauthorizedError);
    assert.equal(provider.info!.client_id, url);
    const answer = await consent(provider.authUrl!, { ownerKey: server.token });
    assert.equal(answer.status, 302, answer.html);
    await transport.finishAuth(new URL(answer.location!).searchParams);
    assert.match(provider.saved!.access_token, /^fzt_/);
    assert.ok(host.requested.includes('/clients/assistant.json'));
    const next = new Client({ name: 'cimd-test', version: '1.0.0' });
    await next.connect(new StreamableHTTPClientTransport(new URL(`${server.url}/mcp`), { authProvider: provider }) as never);
    assert.ok((await next.listTools()).tools.some((t) => t.name === 'apps_list'));
    await next.close();
    const clients = await server.op('oauth.clients.list', {});
    assert.ok(clients.body.clients.some((c: { clientId: string; kind: string }) => c.clientId === url && c.kind === 'document'));
  });

  it('the consent page names the client from its document', async () => {
    const url = `${host.origin}/clients/named.json`;
    host.docs.set('/clients/named.json', doc(url, { client_name: 'Named <b>Client</b>' }));
    const r = await page(server.url, url);
    assert.equal(r.status, 200);
    assert.match(r.text, /Named &lt;b&gt;Client&lt;\/b&gt;/);
    assert.match(r.text, /https:\/\/client\.example/);
  });

  it('an http:// client_id is refused without being fetched', async () => {
    const plain = await startPlainHost();
    try {
      const r = await page(server.url, `${plain.origin}/client.json`);
      assert.equal(r.status, 400);
      assert.equal(r.location, null);
      assert.match(r.text, /must be served over https/);
      assert.deepEqual(plain.requested, []);
    } finally {
      await plain.close();
    }
  });

  it('a document on a private or loopback address is refused unless that origin is allowed', async () => {
    const url = `${host.origin}/clients/private.json`;
    host.docs.set('/clients/private.json', doc(url));
    const before = host.requested.length;
    const r = await page(guarded.url, url);
    assert.equal(r.status, 400);
    assert.match(r.text, /private or loopback address/);
    // A name that resolves to loopback is caught when connecting, even on the server that allows the IP origin.
    const byName = url.replace('127.0.0.1', 'localhost');
    host.docs.set('/clients/private.json', doc(byName));
    const viaName = await page(server.url, byName);
    assert.equal(viaName.status, 400);
    assert.match(viaName.text, /resolves to 127\.0\.0\.1, a private or loopback address/);
    assert.equal(host.requested.length, before, 'nothing reached the document host');
    for (const literal of ['https://10.1.2.3/c.json', 'https://[::1]/c.json', 'https://169.254.169.254/latest/meta-data']) {
      const x = await page(server.url, literal);
      assert.equal(x.status, 400, literal);
      assert.match(x.text, /private or loopback/);
    }
  });

  it('oversize, mismatched, secret-bearing and endlessly redirecting documents are refused', async () => {
    const big = `${host.origin}/clients/big.json`;
    host.docs.set('/clients/big.json', doc(big, { padding: 'x'.repeat(6000) }));
    assert.match((await page(server.url, big)).text, /larger than 5120 bytes/);
    const chunked = `${host.origin}/clients/chunked.json`;
    host.docs.set('/clients/chunked.json', (_req: unknown, res: import('node:http').ServerResponse) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write(`{"client_id":"${chunked}","pad":"`);
      for (let i = 0; i < 20; i++) res.write('y'.repeat(1000));
      res.end('"}');
    });
    assert.match((await page(server.url, chunked)).text, /larger than 5120 bytes/);
    const mismatch = `${host.origin}/clients/mismatch.json`;
    host.docs.set('/clients/mismatch.json', doc('https://someone-else.example/client.json'));
    assert.match((await page(server.url, mismatch)).text, /must name its own URL/);
    const secret = `${host.origin}/clients/secret.json`;
    host.docs.set('/clients/secret.json', doc(secret, { client_secret: 'abc' }));
    assert.match((await page(server.url, secret)).text, /must not carry a client_secret/);
    const loop = `${host.origin}/clients/loop.json`;
    host.docs.set('/clients/loop.json', (_req: unknown, res: import('node:http').ServerResponse) => res.writeHead(302, { location: '/clients/loop.json' }).end());
    assert.match((await page(server.url, loop)).text, /redirected more than 3 times/);
    const notJson = `${host.origin}/clients/page.html`;
    host.docs.set('/clients/page.html', (_req: unknown, res: import('node:http').ServerResponse) => res.writeHead(200, { 'content-type': 'text/html' }).end('<html>'));
    assert.match((await page(server.url, notJson)).text, /not JSON/);
    const badRedirect = `${host.origin}/clients/bad-redirect.json`;
    host.docs.set('/clients/bad-redirect.json', doc(badRedirect, { redirect_uris: ['http://evil.example/cb'] }));
    assert.match((await page(server.url, badRedirect)).text, /only on loopback/);
    const notRegistered = `${host.origin}/clients/other-redirect.json`;
    host.docs.set('/clients/other-redirect.json', doc(notRegistered, { redirect_uris: ['https://client.example/cb'] }));
    assert.match((await page(server.url, notRegistered)).text, /is not registered/);
  });

  it('document fetches are limited per address', async () => {
    // `guarded` allows 2 a minute; the private-address test above used one.
    const url = `${host.origin}/clients/limited.json`;
    host.docs.set('/clients/limited.json', doc(url));
    assert.match((await page(guarded.url, url)).text, /private or loopback/);
    const third = await page(guarded.url, url);
    assert.equal(third.status, 400);
    assert.match(third.text, /at most 2 a minute/);
  });

  it('a document that never finishes arriving is given up after the time limit', async () => {
    const url = `${host.origin}/clients/stalled.json`;
    let stalled: import('node:http').ServerResponse | undefined;
    host.docs.set('/clients/stalled.json', (_req: unknown, res: import('node:http').ServerResponse) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"client_id":');
      stalled = res;
    });
    const r = await page(slow.url, url);
    assert.equal(r.status, 400);
    assert.match(r.text, /took too long/);
    stalled?.destroy();
  });
});
