import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as OTPAuth from 'otpauth';
import { startServer, type TestServer } from '../helpers/server.js';
import { consent, formOf } from './oauth-client.js';
import { authorizeUrl, codeFor, pkce, register, tokenRequest, type Registered } from './raw-flow.js';

const mcpCall = (base: string, token: string) =>
  fetch(`${base}/mcp`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'raw', version: '1' } } }),
  });

describe('OAuth bad input', () => {
  let server: TestServer;
  let client: Registered;
  before(async () => {
    server = await startServer();
    const r = await register(server.url, { client_name: 'Raw', redirect_uris: ['http://127.0.0.1:40001/cb', 'https://app.example/cb'], token_endpoint_auth_method: 'none', grant_types: ['authorization_code', 'refresh_token'] });
    assert.equal(r.status, 201, JSON.stringify(r.json));
    client = r.json;
  });
  after(() => server.close());

  it('an unregistered redirect_uri gets an error page, never a redirect', async () => {
    const { challenge } = pkce();
    for (const uri of ['https://evil.example/cb', 'https://app.example/cb/other', 'https://app.example/cb?x=1', 'http://localhost:40001/cb']) {
      const r = await fetch(authorizeUrl(server.url, client.client_id, uri, challenge), { redirect: 'manual' });
      assert.equal(r.status, 400, uri);
      assert.equal(r.headers.get('location'), null);
      assert.match(await r.text(), /is not registered/);
    }
    // RFC 8252: a loopback redirect may come back on another port.
    const ok = await fetch(authorizeUrl(server.url, client.client_id, 'http://127.0.0.1:50555/cb', challenge), { redirect: 'manual' });
    assert.equal(ok.status, 200);
    const unknown = await fetch(authorizeUrl(server.url, 'fzc_nope', 'https://app.example/cb', challenge), { redirect: 'manual' });
    assert.equal(unknown.status, 400);
    assert.match(await unknown.text(), /Unknown client_id/);
  });

  it('PKCE missing or plain is refused back at the client', async () => {
    const { challenge } = pkce();
    const cases: [Record<string, string | null>, RegExp][] = [
      [{ code_challenge: null, code_challenge_method: null }, /code_challenge is required/],
      [{ code_challenge_method: 'plain' }, /must be S256, not 'plain'/],
      [{ code_challenge_method: null }, /must be S256/],
      [{ code_challenge: 'short' }, /43 base64url/],
      [{ response_type: 'token' }, /response_type must be 'code'/],
      [{ resource: 'https://elsewhere.example/mcp' }, /not on this server/],
      [{ resource: `${server.url}/api/ops` }, /not an MCP endpoint/],
    ];
    for (const [set, message] of cases) {
      const r = await fetch(authorizeUrl(server.url, client.client_id, client.redirect_uris[0], challenge, set), { redirect: 'manual' });
      assert.equal(r.status, 302, JSON.stringify(set));
      const back = new URL(r.headers.get('location')!);
      assert.equal(back.origin + back.pathname, client.redirect_uris[0]);
      assert.match(back.searchParams.get('error')!, /invalid_request|unsupported_response_type|invalid_target/);
      assert.match(back.searchParams.get('error_description')!, message);
      assert.equal(back.searchParams.get('state'), 's1');
      assert.equal(back.searchParams.get('code'), null);
    }
  });

  it('the consent form refuses a wrong owner key, a missing nonce, a cross-site post and capabilities it did not offer', async () => {
    const { challenge } = pkce();
    const url = authorizeUrl(server.url, client.client_id, client.redirect_uris[0], challenge);
    const wrong = await consent(url, { ownerKey: 'fzt_000000000000_' + 'x'.repeat(43) });
    assert.equal(wrong.status, 401);
    assert.match(wrong.html, /not the owner key/);
    assert.ok(!wrong.html.includes('x'.repeat(43)), 'the page never echoes a submitted key');
    const failures = await server.op('audit.query', { op: 'oauth.consent', outcome: 'unauthenticated' });
    assert.equal(failures.body.entries.length, 1);
    assert.equal(failures.body.entries[0].input.reason, 'owner-key');
    assert.ok(!JSON.stringify(failures.body).includes('x'.repeat(43)), 'the presented key is never recorded');
    const tokenKey = (await server.op('tokens.create', { name: 'not-owner', cap: ['kernel:*'] }, { human: true })).body.token;
    assert.equal((await consent(url, { ownerKey: tokenKey })).status, 401, 'a kernel:* token is not the owner key');
    const crossSite = await consent(url, { ownerKey: server.token, headers: { origin: 'https://evil.example' } });
    assert.equal(crossSite.status, 403);
    assert.equal(crossSite.location, null);
    const notOffered = await consent(url, { ownerKey: server.token, caps: ['kernel:apps:read', 'admin:*'] });
    assert.equal(notOffered.status, 400);
    assert.match(notOffered.html, /Not something this page offers: admin:\*/);
    const none = await consent(url, { ownerKey: server.token, caps: [] });
    assert.equal(none.status, 400);

    const page = await (await fetch(url)).text();
    const form = formOf(page);
    form.delete('nonce');
    form.set('owner_key', server.token);
    form.set('decision', 'allow');
    const r = await fetch(`${server.url}/authorize`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form.toString() });
    assert.equal(r.status, 400);
    // A nonce from one request does not carry over to another (here: another state).
    const other = formOf(page);
    other.set('state', 'changed');
    other.set('owner_key', server.token);
    other.set('decision', 'allow');
    const swapped = await fetch(`${server.url}/authorize`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: other.toString() });
    assert.equal(swapped.status, 400);

    const denied = await consent(url, { decision: 'deny' });
    assert.equal(denied.status, 302);
    assert.equal(new URL(denied.location!).searchParams.get('error'), 'access_denied');
  });

  it('a reused authorization code is refused and revokes the tokens issued from it', async () => {
    const { code, verifier, redirectUri } = await codeFor(server.url, server.token, client);
    const params = { grant_type: 'authorization_code', code, code_verifier: verifier, redirect_uri: redirectUri, client_id: client.client_id };
    const first = await tokenRequest(server.url, params);
    assert.equal(first.status, 200, JSON.stringify(first.json));
    assert.equal((await mcpCall(server.url, first.json.access_token)).status, 200);
    const again = await tokenRequest(server.url, params);
    assert.equal(again.status, 400);
    assert.equal(again.json.error, 'invalid_grant');
    assert.match(again.json.error_description, /already used/);
    assert.equal((await mcpCall(server.url, first.json.access_token)).status, 401);
    const refresh = await tokenRequest(server.url, { grant_type: 'refresh_token', refresh_token: first.json.refresh_token, client_id: client.client_id });
    assert.equal(refresh.json.error, 'invalid_grant');
    const audit = await server.op('audit.query', { op: 'oauth.grant.revoked' });
    assert.ok(audit.body.entries.some((e: { input: { reason: string; client: string } }) => e.input.reason === 'authorization code reused' && e.input.client === client.client_id));
  });

  it('the token endpoint checks the verifier, redirect_uri, client and resource', async () => {
    const { code, verifier, redirectUri } = await codeFor(server.url, server.token, client);
    const base = { grant_type: 'authorization_code', code, code_verifier: verifier, redirect_uri: redirectUri, client_id: client.client_id };
    const other = (await register(server.url, { redirect_uris: ['https://other.example/cb'], token_endpoint_auth_method: 'none' })).json;
    const cases: [Record<string, string>, string, RegExp][] = [
      [{ code_verifier: pkce().verifier }, 'invalid_grant', /does not match/],
      [{ code_verifier: '' }, 'invalid_request', /code_verifier is required/],
      [{ redirect_uri: 'https://app.example/cb' }, 'invalid_grant', /redirect_uri/],
      [{ client_id: other.client_id }, 'invalid_grant', /not valid/],
      [{ resource: `${server.url}/mcp/apps/hello` }, 'invalid_target', /consented to/],
      [{ grant_type: 'password' }, 'unsupported_grant_type', /not 'password'/],
      [{ client_id: 'fzc_unknown' }, 'invalid_client', /Unknown client/],
    ];
    for (const [set, error, message] of cases) {
      const params = { ...base, ...set };
      if (set.code_verifier === '') delete (params as Record<string, string>).code_verifier;
      const r = await tokenRequest(server.url, params);
      assert.equal(r.json.error, error, JSON.stringify(set));
      assert.match(r.json.error_description, message);
    }
    // None of those spent the code: the right request still works.
    assert.equal((await tokenRequest(server.url, base)).status, 200);
    const dup = await fetch(`${server.url}/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'grant_type=refresh_token&grant_type=authorization_code' });
    assert.equal(((await dup.json()) as any).error, 'invalid_request');
    const json = await fetch(`${server.url}/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(base) });
    assert.equal(((await json.json()) as any).error, 'invalid_request');
  });

  it('registration refuses unsafe redirect URIs, unsupported grants and oversize bodies', async () => {
    const cases: [unknown, string, RegExp][] = [
      [{ redirect_uris: ['http://example.com/cb'] }, 'invalid_redirect_uri', /only on loopback/],
      [{ redirect_uris: ['javascript:alert(1)'] }, 'invalid_redirect_uri', /scheme/],
      [{ redirect_uris: ['https://a.example/cb#frag'] }, 'invalid_redirect_uri', /fragment/],
      [{ redirect_uris: [] }, 'invalid_redirect_uri', /at least one/],
      [{}, 'invalid_redirect_uri', /required/],
      [{ redirect_uris: ['https://a.example/cb'], grant_types: ['client_credentials'] }, 'invalid_client_metadata', /client_credentials/],
      [{ redirect_uris: ['https://a.example/cb'], response_types: ['token'] }, 'invalid_client_metadata', /only 'code'/],
      [{ redirect_uris: ['https://a.example/cb'], token_endpoint_auth_method: 'private_key_jwt' }, 'invalid_client_metadata', /not supported/],
      [{ redirect_uris: Array.from({ length: 11 }, (_, i) => `https://a.example/${i}`) }, 'invalid_redirect_uri', /at most 10/],
      ['{not json', 'invalid_client_metadata', /not valid JSON/],
    ];
    for (const [body, error, message] of cases) {
      const r = await register(server.url, body);
      assert.equal(r.status, 400, JSON.stringify(body));
      assert.equal(r.json.error, error, JSON.stringify(body));
      assert.match(r.json.error_description, message);
    }
    const big = await register(server.url, { redirect_uris: ['https://a.example/cb'], client_name: 'x'.repeat(20_000) });
    assert.equal(big.status, 413);
  });

  it('a confidential client must present its secret', async () => {
    const r = await register(server.url, { client_name: 'Secret', redirect_uris: ['https://secret.example/cb'] });
    assert.equal(r.json.token_endpoint_auth_method, 'client_secret_basic');
    assert.match(r.json.client_secret, /^fzs_/);
    const { code, verifier, redirectUri } = await codeFor(server.url, server.token, r.json);
    const params = { grant_type: 'authorization_code', code, code_verifier: verifier, redirect_uri: redirectUri };
    const noSecret = await tokenRequest(server.url, { ...params, client_id: r.json.client_id });
    assert.equal(noSecret.status, 401);
    assert.equal(noSecret.json.error, 'invalid_client');
    const basic = Buffer.from(`${r.json.client_id}:${r.json.client_secret}`).toString('base64');
    const ok = await fetch(`${server.url}/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${basic}` }, body: new URLSearchParams(params).toString() });
    assert.equal(ok.status, 200);
  });
});

describe('OAuth consent with TOTP on', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer();
  });
  after(() => server.close());

  it('asks for the authenticator code and refuses consent without a valid one', async () => {
    const en = await server.op('auth.totp.enable', {}, { human: true });
    const totp = OTPAuth.URI.parse(en.body.uri) as OTPAuth.TOTP;
    assert.equal((await server.op('auth.totp.confirm', { code: totp.generate() }, { human: true })).status, 200);
    const client = (await register(server.url, { redirect_uris: ['https://t.example/cb'], token_endpoint_auth_method: 'none' })).json;
    const url = authorizeUrl(server.url, client.client_id, 'https://t.example/cb', pkce().challenge);
    assert.match(await (await fetch(url)).text(), /name="code"/);
    const without = await consent(url, { ownerKey: server.token });
    assert.equal(without.status, 401);
    assert.match(without.html, /enter the current 6-digit code/);
    const wrongCode = await consent(url, { ownerKey: server.token, fields: { code: '000000' === totp.generate() ? '111111' : '000000' } });
    assert.equal(wrongCode.status, 401);
    assert.match(wrongCode.html, /not valid/);
    const ok = await consent(url, { ownerKey: server.token, fields: { code: totp.generate() } });
    assert.equal(ok.status, 302);
    assert.ok(new URL(ok.location!).searchParams.get('code'));
  });
});

describe('OAuth limits from settings', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer({ extra: { 'oauth.codeTtl': '1ms', 'oauth.registrationsPerHour': '2' } });
  });
  after(() => server.close());

  it('an expired authorization code is refused', async () => {
    const client = (await register(server.url, { redirect_uris: ['https://c.example/cb'], token_endpoint_auth_method: 'none' })).json;
    const { code, verifier, redirectUri } = await codeFor(server.url, server.token, client);
    const r = await tokenRequest(server.url, { grant_type: 'authorization_code', code, code_verifier: verifier, redirect_uri: redirectUri, client_id: client.client_id });
    assert.equal(r.json.error, 'invalid_grant');
    assert.match(r.json.error_description, /expired/);
  });

  it('registrations from one address are limited per hour', async () => {
    // The test above registered once: one more fits, the third is refused.
    assert.equal((await register(server.url, { redirect_uris: ['https://d.example/cb'], token_endpoint_auth_method: 'none' })).status, 201);
    const r = await register(server.url, { redirect_uris: ['https://d.example/cb'], token_endpoint_auth_method: 'none' });
    assert.equal(r.status, 429);
    assert.equal(r.json.error, 'temporarily_unavailable');
    assert.match(r.json.error_description, /at most 2 an hour/);
  });

  it('a malformed setting stops the server from starting, naming the setting', async () => {
    await assert.rejects(startServer({ extra: { 'oauth.accessTokenTtl': 'soon' } }), /oauth.accessTokenTtl must be a duration/);
  });
});
