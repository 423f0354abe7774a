import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startServer, type TestServer } from '../helpers/server.js';

let s: TestServer;
before(async () => (s = await startServer({ maxUploadBytes: 64 * 1024 })));
after(() => s.close());

async function raw(method: string, path: string, init: { token?: string; body?: string; headers?: Record<string, string> } = {}) {
  const res = await fetch(`${s.url}${path}`, {
    method,
    headers: { ...(init.token ? { authorization: `Bearer ${init.token}` } : {}), 'content-type': 'application/json', ...init.headers },
    body: init.body,
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : null };
}

test('missing or invalid token → 401 with WWW-Authenticate pointing at the resource metadata', async () => {
  const r = await raw('POST', '/api/ops/apps.list', { body: '{}' });
  assert.equal(r.status, 401);
  assert.equal(r.body.error.code, 'UNAUTHENTICATED');
  assert.match(r.headers.get('www-authenticate')!, /resource_metadata="http:\/\/[^"]+\/\.well-known\/oauth-protected-resource"/);
  const bad = await raw('POST', '/api/ops/apps.list', { body: '{}', token: 'fzt_000000000000_' + 'A'.repeat(43) });
  assert.equal(bad.status, 401);
  const meta = await raw('GET', '/.well-known/oauth-protected-resource');
  assert.equal(meta.status, 200);
  assert.match(meta.body.resource, /\/mcp$/);
});

test('expired and revoked tokens → 401 saying why', async () => {
  const expired = s.kernel.tokens.create('exp', 'token', ['kernel:apps:read'], new Date(Date.now() - 1).toISOString());
  const r = await raw('POST', '/api/ops/apps.list', { body: '{}', token: expired.token });
  assert.equal(r.status, 401);
  assert.match(r.body.error.message, /expired/);
});

test('lacking capability → 403 naming it, insufficient_scope', async () => {
  const { token } = s.kernel.tokens.create('reader', 'token', ['kernel:apps:read'], null);
  const ok = await raw('POST', '/api/ops/apps.list', { body: '{}', token });
  assert.equal(ok.status, 200);
  const r = await raw('POST', '/api/ops/apps.create', { body: '{"name":"x"}', token });
  assert.equal(r.status, 403);
  assert.match(r.body.error.message, /kernel:apps:write/);
  assert.match(r.headers.get('www-authenticate')!, /insufficient_scope/);
});

test('invalid input → 400 listing the fields; malformed JSON → 400', async () => {
  const r = await raw('POST', '/api/ops/apps.create', { body: '{"name": 12, "slug": []}', token: s.token });
  assert.equal(r.status, 400);
  assert.deepEqual(r.body.error.details.fields.map((f: { path: string }) => f.path).sort(), ['name', 'slug']);
  const j = await raw('POST', '/api/ops/apps.create', { body: '{"name": ', token: s.token });
  assert.equal(j.status, 400);
  assert.match(j.body.error.message, /not valid JSON/);
});

test('unknown op → 404; body over the op limit (1 MiB but for deploys) → 413 and nothing created', async () => {
  assert.equal((await raw('POST', '/api/ops/apps.explode', { body: '{}', token: s.token })).status, 404);
  const big = JSON.stringify({ name: 'big', slug: 'big', pad: 'x'.repeat(1024 * 1024) });
  const r = await raw('POST', '/api/ops/apps.create', { body: big, token: s.token });
  assert.equal(r.status, 413);
  assert.equal(s.kernel.services.apps.find('big'), undefined);
});

test('GET runs read ops with query parameters and refuses state-changing ones', async () => {
  const r = await raw('GET', '/api/ops/apps.list?includeSystem=true', { token: s.token });
  assert.equal(r.status, 200);
  assert.ok(r.body.apps.some((a: { slug: string }) => a.slug === '404'));
  const w = await raw('GET', '/api/ops/apps.create?name=x', { token: s.token });
  assert.equal(w.status, 405);
});

test('a bad slug and deleting a system app get clear errors', async () => {
  const r = await s.op('apps.create', { name: 'x', slug: 'Not_OK!' });
  assert.equal(r.status, 400);
  assert.match(r.body.error.message, /Invalid app name/);
  const sys = await s.op('apps.delete', { id: '404' }, { human: true });
  assert.equal(sys.status, 403);
  assert.match(sys.body.error.message, /system app/);
});

test('destructive call: owner token without the human header is halted (202); with it, it runs', async () => {
  await s.op('apps.create', { name: 'Doomed' });
  const halted = await s.op('apps.delete', { id: 'doomed' });
  assert.equal(halted.status, 202);
  assert.equal(halted.body.halted, true);
  assert.match(halted.body.haltId, /^halt_/);
  assert.ok(s.kernel.services.apps.find('doomed'));
  const approved = await s.op('halt.approve', { id: halted.body.haltId }, { human: true });
  assert.equal(approved.status, 200);
  assert.equal(approved.body.status, 'approved');
  assert.equal(s.kernel.services.apps.find('doomed'), undefined);
});

test('a capability token can never claim to be a present human', async () => {
  const { token } = s.kernel.tokens.create('writer', 'token', ['kernel:apps:*', 'kernel:halt:*'], null);
  await s.op('apps.create', { name: 'Keep' });
  const r = await s.op('apps.delete', { id: 'keep' }, { token, human: true });
  assert.equal(r.status, 202);
  const approve = await s.op('halt.approve', { id: r.body.haltId }, { token, human: true });
  assert.equal(approve.status, 403);
  assert.ok(s.kernel.services.apps.find('keep'));
});

test('every call above left an audit row with the surface', async () => {
  const r = await s.op('audit.query', { op: 'apps.*', limit: 100 });
  assert.equal(r.status, 200);
  const outcomes = new Set(r.body.entries.map((e: { outcome: string }) => e.outcome));
  for (const o of ['ok', 'error', 'denied', 'halted']) assert.ok(outcomes.has(o), `audit has an '${o}' row`);
  // Calls that proved presence (the helper's `human`) are the local CLI's; the rest are plain HTTP.
  assert.ok(r.body.entries.every((e: { surface: string }) => ['http', 'cli', 'halt'].includes(e.surface)));
  assert.ok(r.body.entries.some((e: { surface: string }) => e.surface === 'http'));
});

test('TOTP: once enabled, creating tokens and deciding halts need a code', async () => {
  const { currentCode } = await import('../../src/auth/totp.js');
  const en = await s.op('auth.totp.enable', {}, { human: true });
  assert.equal(en.status, 200);
  assert.match(en.body.uri, /^otpauth:\/\/totp\//);
  const confirm = await s.op('auth.totp.confirm', { code: currentCode(en.body.secret, 'localhost') }, { human: true });
  assert.equal(confirm.status, 200);
  const noCode = await s.op('tokens.create', { name: 't1', cap: ['kernel:apps:read'] }, { human: true });
  assert.equal(noCode.status, 401);
  const withCode = await s.op('tokens.create', { name: 't1', cap: ['kernel:apps:read'], code: currentCode(en.body.secret, 'localhost') }, { human: true });
  assert.equal(withCode.status, 200);
  assert.match(withCode.body.token, /^fzt_/);
  // The code never reaches the audit trail.
  const rows = s.kernel.audit.query({ op: 'tokens.create', limit: 5 });
  assert.ok(rows.every((row) => JSON.stringify(row.input).includes('[redacted]') || !(row.input as { code?: string })?.code));
  await s.op('auth.totp.disable', { code: currentCode(en.body.secret, 'localhost') }, { human: true });
});
