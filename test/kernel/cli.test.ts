import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { runCli, startServer, type TestServer } from '../helpers/server.js';
import { tempDir } from '../helpers/temp.js';

let s: TestServer;
before(async () => (s = await startServer()));
after(() => s.close());

const cli = (args: string[]) => runCli(args, { dataDir: s.dataDir });

test('fazt --help lists commands, including generated op commands', async () => {
  const r = await runCli(['--help']);
  assert.equal(r.code, 0);
  for (const c of ['server start', 'apps list', 'apps remove <id>', 'halt approve <id>', 'token create', 'audit', 'ops list']) {
    assert.ok(r.stdout.includes(c), `help mentions '${c}'`);
  }
});

test('every op command has --help built from its schema', async () => {
  const r = await runCli(['token', 'create', '--help']);
  assert.equal(r.code, 0);
  assert.match(r.stdout, /--name <string>/);
  assert.match(r.stdout, /--cap <string>…/);
  assert.match(r.stdout, /kernel:auth:write/);
});

test('the local CLI works with no flags through the data dir client config', async () => {
  const r = await cli(['apps', 'create', 'Photo Site', '--json']);
  assert.equal(r.code, 0, r.stderr);
  const app = JSON.parse(r.stdout);
  assert.equal(app.slug, 'photo-site');
  const list = await cli(['apps', 'list']);
  assert.match(list.stdout, /photo-site/);
  assert.match(list.stdout, /^ID\s+SLUG/m);
});

test('unknown command, unknown option and bad input exit non-zero with a clear message', async () => {
  const u = await cli(['apps', 'frobnicate']);
  assert.notEqual(u.code, 0);
  const o = await cli(['apps', 'list', '--colour', 'red']);
  assert.equal(o.code, 2);
  assert.match(o.stderr, /Unknown flag --colour/);
  const b = await cli(['apps', 'create', 'x', '--slug', 'BAD SLUG']);
  assert.equal(b.code, 2);
  assert.match(b.stderr, /BAD_INPUT/);
  const nf = await cli(['apps', 'info', 'nope']);
  assert.equal(nf.code, 4);
  assert.match(nf.stderr, /No app 'nope'/);
});

test('with no server configured the CLI says how to get one', async () => {
  const empty = tempDir();
  try {
    const r = await runCli(['apps', 'list'], { dataDir: empty.dir });
    assert.equal(r.code, 3);
    assert.match(r.stderr, /fazt server start/);
  } finally {
    empty.cleanup();
  }
});

test('remote use: --server/--token and FAZT_URL/FAZT_TOKEN', async () => {
  const { token } = s.kernel.tokens.create('remote-reader', 'token', ['kernel:apps:read'], null);
  const r = await runCli(['apps', 'list', '--json', '--server', s.url, '--token', token]);
  assert.equal(r.code, 0, r.stderr);
  assert.ok(Array.isArray(JSON.parse(r.stdout).apps));
  const denied = await runCli(['apps', 'create', 'nope'], { env: { FAZT_URL: s.url, FAZT_TOKEN: token } });
  assert.equal(denied.code, 3);
  assert.match(denied.stderr, /kernel:apps:write/);
  const unreachable = await runCli(['apps', 'list', '--server', 'http://127.0.0.1:9', '--token', token]);
  assert.equal(unreachable.code, 1);
  assert.match(unreachable.stderr, /Cannot reach the fazt server/);
});

test('destructive commands: no terminal and no --yes → a halt; --yes → runs; halts decided from the CLI', async () => {
  await cli(['apps', 'create', 'Gone Soon']);
  const halted = await cli(['apps', 'remove', 'gone-soon', '--json']);
  assert.equal(halted.code, 5);
  const haltId = JSON.parse(halted.stdout).haltId as string;
  const list = await cli(['halt', 'list']);
  assert.ok(list.stdout.includes(haltId));
  const show = await cli(['halt', 'show', haltId, '--json']);
  assert.equal(JSON.parse(show.stdout).status, 'pending');
  const deny = await cli(['halt', 'deny', haltId, '--json']);
  assert.equal(deny.code, 0, deny.stderr);
  assert.equal(JSON.parse(deny.stdout).status, 'denied');
  assert.ok(s.kernel.services.apps.find('gone-soon'));
  const yes = await cli(['apps', 'remove', 'gone-soon', '--yes', '--json']);
  assert.equal(yes.code, 0, yes.stderr);
  assert.equal(JSON.parse(yes.stdout).deleted, true);
});

test('token create prints the token once; list never shows secrets; revoke works', async () => {
  const c = await cli(['token', 'create', '--name', 'ci-bot', '--cap', 'kernel:apps:read', '--cap', 'kernel:pulse:read', '--expires', '30d', '--json']);
  assert.equal(c.code, 0, c.stderr);
  const created = JSON.parse(c.stdout);
  assert.match(created.token, /^fzt_/);
  assert.deepEqual(created.info.caps, ['kernel:apps:read', 'kernel:pulse:read']);
  assert.ok(created.info.expiresAt);
  const l = await cli(['token', 'list', '--json']);
  assert.ok(!l.stdout.includes(created.token.replace(/^fzt_[a-f0-9]{12}_/, '')));
  const r = await cli(['token', 'revoke', 'ci-bot']);
  assert.equal(r.code, 0, r.stderr);
  const after = await runCli(['apps', 'list', '--server', s.url, '--token', created.token]);
  assert.equal(after.code, 3);
  assert.match(after.stderr, /revoked/);
  const bad = await cli(['token', 'create', '--name', 'x', '--cap', 'kernel:*:read']);
  assert.equal(bad.code, 2);
});

test('fazt audit shows CLI calls with their surface', async () => {
  const r = await cli(['audit', '--surface', 'cli', '--limit', '5', '--json']);
  assert.equal(r.code, 0, r.stderr);
  const entries = JSON.parse(r.stdout).entries as { surface: string; op: string }[];
  assert.ok(entries.length > 0);
  assert.ok(entries.every((e) => e.surface === 'cli'));
});

test('fazt ops list shows capability and risk', async () => {
  const r = await cli(['ops', 'list', '--json']);
  const ops = JSON.parse(r.stdout).ops as { name: string; risk: string; requires: string[] }[];
  const del = ops.find((o) => o.name === 'apps.delete')!;
  assert.equal(del.risk, 'destructive');
  assert.deepEqual(del.requires, ['kernel:apps:write']);
});
