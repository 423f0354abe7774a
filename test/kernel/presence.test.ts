import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { runCli, startServer, type TestServer } from '../helpers/server.js';

let s: TestServer;
before(async () => (s = await startServer()));
after(() => s.close());

/** A raw POST to an op with exactly these headers (besides the body's type). */
async function post(name: string, input: unknown, headers: Record<string, string>): Promise<{ status: number; body: any }> {
  const res = await fetch(`${s.url}/api/ops/${name}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(input) });
  return { status: res.status, body: await res.json() };
}

const presenceSecret = () => readFileSync(join(s.dataDir, 'presence.key'), 'utf8').trim();

async function lastAuditFor(op: string) {
  const r = await s.op('audit.query', { op, limit: 1 });
  return r.body.entries[0] as { surface: string; outcome: string };
}

test('a client cannot label its calls as the CLI with a header', async () => {
  const r = await post('apps.list', {}, { authorization: `Bearer ${s.token}`, 'x-fazt-surface': 'cli' });
  assert.equal(r.status, 200);
  assert.equal((await lastAuditFor('apps.list')).surface, 'http');
});

test('claiming a present human with a header alone turns a destructive call into a halt', async () => {
  await s.op('apps.create', { name: 'keep-me' });
  const r = await post('apps.delete', { id: 'keep-me' }, { authorization: `Bearer ${s.token}`, 'x-fazt-human': '1', 'x-fazt-surface': 'cli' });
  assert.equal(r.status, 202, JSON.stringify(r.body));
  assert.equal(r.body.halted, true);
  const approve = await post('halt.approve', { id: r.body.haltId }, { authorization: `Bearer ${s.token}`, 'x-fazt-human': '1' });
  assert.equal(approve.status, 403);
  const wrong = await post('halt.approve', { id: r.body.haltId }, { authorization: `Bearer ${s.token}`, 'x-fazt-human': '1', 'x-fazt-presence': 'x'.repeat(64) });
  assert.equal(wrong.status, 403);
  assert.equal((await s.op('apps.get', { id: 'keep-me' })).status, 200);
});

test('the presence secret from the data dir makes the local owner a present human on the CLI surface', async () => {
  await s.op('apps.create', { name: 'drop-me' });
  const headers = { authorization: `Bearer ${s.token}`, 'x-fazt-human': '1', 'x-fazt-presence': presenceSecret() };
  const halted = await post('apps.delete', { id: 'drop-me' }, { authorization: `Bearer ${s.token}` });
  assert.equal(halted.status, 202);
  const approve = await post('halt.deny', { id: halted.body.haltId }, headers);
  assert.equal(approve.status, 200, JSON.stringify(approve.body));
  const r = await post('apps.delete', { id: 'drop-me' }, headers);
  assert.equal(r.status, 200, JSON.stringify(r.body));
  const row = await lastAuditFor('apps.delete');
  assert.equal(row.surface, 'cli');
  assert.equal(row.outcome, 'ok');
});

test('the presence secret does not make a capability token human', async () => {
  const t = await s.op('tokens.create', { name: 'app-admin', cap: ['kernel:apps:*'] }, { human: true });
  assert.equal(t.status, 200, JSON.stringify(t.body));
  await s.op('apps.create', { name: 'token-target' });
  const r = await post('apps.delete', { id: 'token-target' }, { authorization: `Bearer ${t.body.token}`, 'x-fazt-human': '1', 'x-fazt-presence': presenceSecret() });
  assert.equal(r.status, 202);
});

test('the presence secret is a 0600 file that is neither in client.json nor in data.db', async () => {
  const path = join(s.dataDir, 'presence.key');
  assert.equal(statSync(path).mode & 0o777, 0o600);
  const secret = presenceSecret();
  assert.ok(secret.length >= 40);
  assert.ok(!readFileSync(join(s.dataDir, 'client.json'), 'utf8').includes(secret));
  s.kernel.audit.flush();
  s.kernel.db.pragma('wal_checkpoint(TRUNCATE)');
  assert.ok(!readFileSync(join(s.dataDir, 'data.db')).includes(secret));
});

test('the local CLI proves presence: --yes runs a destructive call, and its audit surface is cli', async () => {
  await s.op('apps.create', { name: 'cli-drop' });
  const r = await runCli(['apps', 'remove', 'cli-drop', '--yes'], { dataDir: s.dataDir });
  assert.equal(r.code, 0, r.stderr);
  const row = await lastAuditFor('apps.delete');
  assert.equal(row.surface, 'cli');
  assert.equal(row.outcome, 'ok');
});

test('a remote CLI (--server --token) is an HTTP client: --yes does not skip the halt', async () => {
  await s.op('apps.create', { name: 'remote-drop' });
  const r = await runCli(['apps', 'remove', 'remote-drop', '--yes', '--server', s.url, '--token', s.token]);
  assert.equal(r.code, 5, r.stderr + r.stdout);
  assert.match(r.stderr, /Halted/);
  const row = await lastAuditFor('apps.delete');
  assert.equal(row.surface, 'http');
  assert.equal(row.outcome, 'halted');
});
