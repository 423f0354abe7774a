import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startServer, type TestServer } from '../helpers/server.js';
import { send, signIn } from '../dashboard/session-client.js';
import { formOf } from './oauth-client.js';
import { authorizeUrl, pkce, register, tokenRequest } from './raw-flow.js';

describe('OAuth consent by a signed-in owner', () => {
  let s: TestServer;
  before(async () => (s = await startServer()));
  after(() => s.close());

  it('a signed-in browser consents with its CSRF token, no owner key; the code exchanges for a working token', async () => {
    const host = new URL(s.url).host;
    const { session } = await signIn(s.url, { password: s.token }, host);
    assert.ok(session, 'signed in with the owner key');
    const reg = await register(s.url, { client_name: 'Claude', redirect_uris: ['http://127.0.0.1:9/callback'], token_endpoint_auth_method: 'none' });
    assert.equal(reg.status, 201, JSON.stringify(reg.json));
    const { verifier, challenge } = pkce();
    const url = authorizeUrl(s.url, reg.json.client_id, 'http://127.0.0.1:9/callback', challenge);
    const cookie = { cookie: session!.cookie };
    const page = await send(s.url, url.pathname + url.search, { host, headers: cookie });
    assert.equal(page.status, 200, page.text.slice(0, 300));
    assert.doesNotMatch(page.text, /name="owner_key"/, 'a signed-in owner is not asked for the key');
    const form = formOf(page.text);
    assert.ok(form.get('csrf'), 'the page carries the session CSRF token');
    form.set('decision', 'allow');
    // Without the session's CSRF token the same post is refused.
    const forged = new URLSearchParams(form);
    forged.set('csrf', 'x');
    const refused = await send(s.url, '/authorize', { method: 'POST', host, headers: { ...cookie, 'content-type': 'application/x-www-form-urlencoded', origin: s.url }, body: forged.toString() });
    assert.equal(refused.status, 400);
    const ok = await send(s.url, '/authorize', { method: 'POST', host, headers: { ...cookie, 'content-type': 'application/x-www-form-urlencoded', origin: s.url }, body: form.toString() });
    assert.equal(ok.status, 302, ok.text.slice(0, 300));
    const code = new URL(String(ok.headers.location)).searchParams.get('code')!;
    const t = await tokenRequest(s.url, { grant_type: 'authorization_code', code, code_verifier: verifier, client_id: reg.json.client_id, redirect_uri: 'http://127.0.0.1:9/callback', resource: `${s.url}/mcp` });
    assert.equal(t.status, 200, JSON.stringify(t.json));
    const call = await fetch(`${s.url}/mcp`, {
      method: 'POST',
      headers: { authorization: `Bearer ${t.json.access_token}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 't', version: '1' } } }),
    });
    assert.equal(call.status, 200);
  });
});
