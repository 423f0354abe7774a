import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { auth, Client, StreamableHTTPClientTransport, UnauthorizedError } from '@modelcontextprotocol/client';
import { startServer, type TestServer } from '../helpers/server.js';
import { textOf } from '../mcp/client.js';
import { consent, TestProvider } from './oauth-client.js';

async function connectWith(url: string, provider: TestProvider): Promise<{ client: Client; transport: StreamableHTTPClientTransport }> {
  const transport = new StreamableHTTPClientTransport(new URL(url), { authProvider: provider });
  const client = new Client({ name: 'oauth-test', version: '1.0.0' });
  await client.connect(transport as never);
  return { client, transport };
}

/** The whole dance a remote MCP host does: 401 → discovery → registration → consent → token. */
async function authorize(server: TestServer, provider: TestProvider, caps?: string[]): Promise<void> {
  const transport = new StreamableHTTPClientTransport(new URL(`${server.url}/mcp`), { authProvider: provider });
  const client = new Client({ name: 'oauth-test', version: '1.0.0' });
  await assert.rejects(client.connect(transport as never), (err) => err instanceof UnauthorizedError);
  assert.ok(provider.authUrl, 'the SDK asked to open the consent page');
  const answer = await consent(provider.authUrl!, { ownerKey: server.token, caps });
  assert.equal(answer.status, 302, answer.html);
  const back = new URL(answer.location!);
  assert.equal(back.origin + back.pathname, provider.redirect);
  assert.equal(back.searchParams.get('state'), 'state-123');
  await transport.finishAuth(back.searchParams);
  await client.close().catch(() => {});
}

describe('OAuth with the MCP SDK client', () => {
  let server: TestServer;
  const provider = new TestProvider();
  before(async () => {
    server = await startServer();
  });
  after(() => server.close());

  it('discovers the authorization server from the 401 and the metadata documents', async () => {
    const r = await fetch(`${server.url}/mcp`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    assert.equal(r.status, 401);
    const challenge = r.headers.get('www-authenticate') ?? '';
    assert.match(challenge, new RegExp(`resource_metadata="${server.url}/.well-known/oauth-protected-resource"`));
    const prm = (await (await fetch(`${server.url}/.well-known/oauth-protected-resource`)).json()) as any;
    assert.equal(prm.resource, `${server.url}/mcp`);
    assert.deepEqual(prm.authorization_servers, [server.url]);
    const as = (await (await fetch(`${server.url}/.well-known/oauth-authorization-server`)).json()) as any;
    assert.equal(as.issuer, server.url);
    assert.equal(as.authorization_endpoint, `${server.url}/authorize`);
    assert.equal(as.token_endpoint, `${server.url}/token`);
    assert.equal(as.registration_endpoint, `${server.url}/register`);
    assert.equal(as.revocation_endpoint, `${server.url}/revoke`);
    assert.deepEqual(as.code_challenge_methods_supported, ['S256']);
    assert.equal(as.client_id_metadata_document_supported, true);
    assert.ok(as.scopes_supported.includes('kernel:apps:read') && as.scopes_supported.includes('kernel:*'));
    // Browser-based clients read these cross-origin; the consent page is not readable that way.
    const preflight = await fetch(`${server.url}/token`, { method: 'OPTIONS', headers: { origin: 'https://inspector.example', 'access-control-request-method': 'POST' } });
    assert.equal(preflight.status, 204);
    assert.equal(preflight.headers.get('access-control-allow-origin'), '*');
    const page = await fetch(`${server.url}/authorize`);
    assert.equal(page.headers.get('access-control-allow-origin'), null);
  });

  it('registers, gets consent by owner key, exchanges the code and calls tools scoped as granted', async () => {
    await authorize(server, provider);
    assert.match(provider.info!.client_id, /^fzc_/);
    const tokens = provider.saved!;
    assert.match(tokens.access_token, /^fzt_/);
    assert.match(tokens.refresh_token, /^fzr_/);
    assert.equal(tokens.token_type, 'Bearer');
    assert.ok(tokens.scope.split(' ').includes('kernel:apps:read'));
    assert.ok(!tokens.scope.split(' ').some((c: string) => c.endsWith(':write') || c.endsWith('*')), `read-only by default, got ${tokens.scope}`);

    const { client } = await connectWith(`${server.url}/mcp`, provider);
    try {
      const names = (await client.listTools()).tools.map((t) => t.name);
      assert.ok(names.includes('apps_list'));
      assert.ok(!names.includes('apps_delete'));
      const list = await client.callTool({ name: 'apps_list', arguments: {} });
      assert.equal(list.isError, undefined, textOf(list));
      const del = await client.callTool({ name: 'apps_delete', arguments: { id: 'admin' } });
      assert.equal(del.isError, true);
      assert.match(textOf(del), /FORBIDDEN.*kernel:apps:write/);
    } finally {
      await client.close();
    }

    // An ordinary fazt token: listed, named after the client, and the calls are audited as it.
    const listed = await server.op('tokens.list', {});
    const mine = listed.body.tokens.find((t: { caps: string[]; name: string }) => t.name.startsWith('oauth.test-assistant.'));
    assert.ok(mine, JSON.stringify(listed.body));
    const audit = await server.op('audit.query', { caller: mine.name, op: 'apps.delete' });
    assert.equal(audit.body.entries.length, 1);
    assert.equal(audit.body.entries[0].outcome, 'denied');
    const consentRow = await server.op('audit.query', { op: 'oauth.consent' });
    assert.equal(consentRow.body.entries[0].input.clientName, 'Test Assistant');
  });

  it('binds the token to the MCP endpoint it was issued for (RFC 8707)', async () => {
    const r = await fetch(`${server.url}/api/ops/apps.list`, { method: 'POST', headers: { authorization: `Bearer ${provider.saved!.access_token}`, 'content-type': 'application/json' }, body: '{}' });
    assert.equal(r.status, 401);
    assert.match(((await r.json()) as any).error.message, /issued for \/mcp/);
  });

  it('refreshes with rotation; the spent refresh token, presented again, revokes the grant', async () => {
    const before = { ...provider.saved! };
    assert.equal(await auth(provider, { serverUrl: new URL(`${server.url}/mcp`) }), 'AUTHORIZED');
    const after = provider.saved!;
    assert.notEqual(after.access_token, before.access_token);
    assert.notEqual(after.refresh_token, before.refresh_token);
    // The old access token went with the rotation; the new one works.
    const { client } = await connectWith(`${server.url}/mcp`, provider);
    assert.ok((await client.listTools()).tools.length > 0);
    await client.close();
    const oldCall = await fetch(`${server.url}/mcp`, { method: 'POST', headers: { authorization: `Bearer ${before.access_token}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' }, body: '{}' });
    assert.equal(oldCall.status, 401);

    const reuse = await fetch(`${server.url}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: before.refresh_token, client_id: provider.info!.client_id }).toString(),
    });
    assert.equal(reuse.status, 400);
    assert.equal(((await reuse.json()) as any).error, 'invalid_grant');
    // Reuse means the refresh token leaked: the current tokens stop working too.
    const current = await fetch(`${server.url}/mcp`, { method: 'POST', headers: { authorization: `Bearer ${after.access_token}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' }, body: '{}' });
    assert.equal(current.status, 401);
    const refreshAgain = await fetch(`${server.url}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: after.refresh_token, client_id: provider.info!.client_id }).toString(),
    });
    assert.equal(((await refreshAgain.json()) as any).error, 'invalid_grant');
    const grants = await server.op('oauth.grants.list', { all: true });
    assert.equal(grants.body.grants.at(-1).revokedReason, 'refresh token reused');
  });

  it('a grant with write access may call write ops; revocation at /revoke ends it', async () => {
    const writer = new TestProvider('http://127.0.0.1:39124/cb', 'Writer');
    await authorize(server, writer, ['kernel:apps:read', 'kernel:apps:write']);
    assert.equal(writer.saved!.scope, 'kernel:apps:read kernel:apps:write');
    const { client } = await connectWith(`${server.url}/mcp`, writer);
    const names = (await client.listTools()).tools.map((t) => t.name);
    assert.ok(names.includes('apps_delete'));
    assert.ok(!names.includes('pulse_status'), 'only what was granted');
    await client.close();

    const r = await fetch(`${server.url}/revoke`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: writer.saved!.refresh_token, client_id: writer.info!.client_id }).toString(),
    });
    assert.equal(r.status, 200);
    const call = await fetch(`${server.url}/mcp`, { method: 'POST', headers: { authorization: `Bearer ${writer.saved!.access_token}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' }, body: '{}' });
    assert.equal(call.status, 401);
    const listed = await server.op('tokens.list', {});
    assert.ok(!listed.body.tokens.some((t: { name: string }) => t.name.startsWith('oauth.writer.')));
  });

  it('revoking the access token with tokens.revoke ends the grant: the refresh is refused', async () => {
    const p = new TestProvider('http://127.0.0.1:39125/cb', 'Revoked');
    await authorize(server, p);
    const t = (await server.op('tokens.list', {})).body.tokens.find((x: { name: string }) => x.name.startsWith('oauth.revoked.'));
    assert.equal((await server.op('tokens.revoke', { id: t.id })).status, 200);
    const r = await fetch(`${server.url}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: p.saved!.refresh_token, client_id: p.info!.client_id }).toString(),
    });
    assert.equal(((await r.json()) as any).error, 'invalid_grant');
  });

  it('the owner ends a grant with oauth.grants.revoke', async () => {
    const p = new TestProvider('http://127.0.0.1:39126/cb', 'Ended');
    await authorize(server, p);
    const grants = (await server.op('oauth.grants.list', {})).body.grants;
    const g = grants.find((x: { clientName: string }) => x.clientName === 'Ended');
    assert.deepEqual(g.caps, p.saved!.scope.split(' '));
    assert.equal(g.resource, `${server.url}/mcp`);
    const ok = await fetch(`${server.url}/mcp`, { method: 'POST', headers: { authorization: `Bearer ${p.saved!.access_token}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' }, body: '{}' });
    assert.notEqual(ok.status, 401);
    assert.equal((await server.op('oauth.grants.revoke', { id: g.id })).status, 200);
    const after = await fetch(`${server.url}/mcp`, { method: 'POST', headers: { authorization: `Bearer ${p.saved!.access_token}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' }, body: '{}' });
    assert.equal(after.status, 401);
    const again = await server.op('oauth.grants.revoke', { id: g.id });
    assert.equal(again.status, 404);
    assert.match(again.body.error.message, /No live OAuth grant/);
  });
});

describe('OAuth for an app endpoint', () => {
  let server: TestServer;
  let appId: string;
  before(async () => {
    server = await startServer();
    assert.equal((await server.op('deploy', { app: 'shop', files: [{ path: 'index.html', content: 'shop' }] })).status, 200);
    appId = (await server.op('apps.get', { id: 'shop' })).body.id;
  });
  after(() => server.close());

  it('a client of /mcp/apps/<slug> is offered that app and gets a token for that endpoint only', async () => {
    const r = await fetch(`${server.url}/mcp/apps/shop`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    assert.equal(r.status, 401);
    assert.match(r.headers.get('www-authenticate') ?? '', /resource_metadata=".*\/\.well-known\/oauth-protected-resource\/mcp\/apps\/shop"/);
    const p = new TestProvider('http://127.0.0.1:39127/cb', 'Shop Helper');
    const transport = new StreamableHTTPClientTransport(new URL(`${server.url}/mcp/apps/shop`), { authProvider: p });
    const first = new Client({ name: 'oauth-test', version: '1.0.0' });
    await assert.rejects(first.connect(transport as never), (err) => err instanceof UnauthorizedError);
    assert.equal(p.authUrl!.searchParams.get('resource'), `${server.url}/mcp/apps/shop`);
    const page = await (await fetch(p.authUrl!)).text();
    assert.match(page, new RegExp(`value="app:${appId}:read" checked`));
    assert.ok(!page.includes('kernel:*'), 'kernel capabilities mean nothing at an app endpoint');
    const answer = await consent(p.authUrl!, { ownerKey: server.token });
    await transport.finishAuth(new URL(answer.location!).searchParams);
    assert.equal(p.saved!.scope, `app:${appId}:read`);
    const { client } = await connectWith(`${server.url}/mcp/apps/shop`, p);
    await client.listTools();
    await client.close();
    const kernelCall = await fetch(`${server.url}/mcp`, { method: 'POST', headers: { authorization: `Bearer ${p.saved!.access_token}`, 'content-type': 'application/json' }, body: '{}' });
    assert.equal(kernelCall.status, 401);
    assert.match(((await kernelCall.json()) as any).error.message, /issued for \/mcp\/apps\/shop/);
  });

  it('an app that does not serve MCP is refused as the resource', async () => {
    const { authorizeUrl, pkce, register } = await import('./raw-flow.js');
    const c = (await register(server.url, { redirect_uris: ['https://x.example/cb'], token_endpoint_auth_method: 'none' })).json;
    for (const slug of ['nope', 'admin']) {
      const r = await fetch(authorizeUrl(server.url, c.client_id, 'https://x.example/cb', pkce().challenge, { resource: `${server.url}/mcp/apps/${slug}` }), { redirect: 'manual' });
      assert.equal(r.status, 302);
      const back = new URL(r.headers.get('location')!);
      assert.equal(back.searchParams.get('error'), 'invalid_target');
      assert.match(back.searchParams.get('error_description')!, new RegExp(`No app '${slug}'`));
    }
  });
});
