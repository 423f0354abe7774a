import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, startServer, type TestServer } from '../helpers/server.js';
import { approve, haltedWith } from './helpers.js';

let s: TestServer;

before(async () => {
  s = await startServer();
});

after(async () => {
  await s.close();
});

test('local provider: create starts a real child fazt that registers with this node; status reports its health', async () => {
  const types = await s.op('infra.vps.types', { provider: 'local' });
  assert.deepEqual(types.body.types[0].prices['*'], { monthly: 0, hourly: 0, currency: 'USD' });
  const haltId = await haltedWith(s, 'infra.vps.create', { provider: 'local', name: 'photos', type: 'local', region: 'loopback' }, /Create local server 'photos' \(local in loopback\) for 0\.00 USD\/month/);
  const d = await approve(s, haltId);
  assert.equal(d.status, 'approved', JSON.stringify(d));
  assert.equal(d.result.server.id, 'local:photos');
  assert.equal(d.result.server.state, 'running');
  assert.equal(d.result.fazt.reachable, true);
  const dir = join(s.dataDir, 'infra', 'local', 'photos');
  assert.ok(existsSync(join(dir, 'data.db')), 'the child has its own data dir and database');

  const st = await s.op('infra.vps.status', { id: 'local:photos' });
  assert.equal(st.status, 200, JSON.stringify(st.body));
  assert.equal(st.body.fazt.reachable, true);
  assert.match(st.body.fazt.health, /^(healthy|degraded|critical)$/);
  // Like a machine of its own: its own loopback address, on this node's port.
  const own = process.platform === 'linux' ? '127.0.0.2' : '127.0.0.1';
  assert.equal(st.body.ipv4, own);
  if (own !== '127.0.0.1') assert.equal(st.body.fazt.url, `http://${own}:${s.kernel.config.port}`);
  // The peer token may read its health and put apps on it; nothing with tokens or secrets.
  const token = s.kernel.services.secrets.get('infra.peer.local:photos.token')!;
  const as = (op: string, body: unknown = {}) =>
    fetch(`${st.body.fazt.url}/api/ops/${op}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  assert.equal((await as('apps.list')).status, 200);
  assert.equal((await as('tokens.list')).status, 403);
  assert.equal((await as('tokens.create', { name: 'x', cap: ['kernel:*'] })).status, 403);

  const list = await s.op('infra.vps.list', {});
  assert.deepEqual(list.body.servers.map((x: any) => x.id), ['local:photos']);
  const taken = await s.op('infra.vps.create', { provider: 'local', name: 'photos', type: 'local', region: 'loopback' }, { human: true });
  assert.equal(taken.body.error.code, 'CONFLICT');
  assert.match(taken.body.error.message, /already exists/);
});

test('a create that would fail is refused before the owner is asked: unknown type or region, a name taken; nothing is halted', async () => {
  const pending = async () => ((await s.op('halt.list', {}, { human: true })).body.halts as { op: string }[]).filter((h) => h.op === 'infra.vps.create').length;
  const before = await pending();
  const type = await s.op('infra.vps.create', { provider: 'local', name: 'nope', type: 'big', region: 'loopback' });
  assert.equal(type.status, 400, JSON.stringify(type.body));
  assert.match(type.body.error.message, /Unknown local server type 'big'; valid: local/);
  const region = await s.op('infra.vps.create', { provider: 'local', name: 'nope', type: 'local', region: 'mars' });
  assert.equal(region.status, 400, JSON.stringify(region.body));
  assert.match(region.body.error.message, /Unknown local region 'mars'; valid: loopback/);
  const taken = await s.op('infra.vps.create', { provider: 'local', name: 'photos', type: 'local', region: 'loopback' });
  assert.equal(taken.status, 409, JSON.stringify(taken.body));
  assert.equal(await pending(), before, 'no halt was stored for a call that would fail');
  // The CLI's question is refused the same way before anyone is asked.
  const preview = await s.op('halt.preview', { op: 'infra.vps.create', args: { provider: 'local', name: 'nope', type: 'big', region: 'loopback' } });
  assert.equal(preview.status, 400);
  const cli = await runCli(['infra', 'vps', 'create', '--provider', 'local', '--name', 'nope', '--type', 'big', '--region', 'loopback'], { dataDir: s.dataDir });
  assert.equal(cli.code, 2, cli.stderr);
  assert.match(cli.stderr, /valid: local/);
});

test('local provider: a create cut short (a data dir, no server recorded) does not block the name', async () => {
  const dir = join(s.dataDir, 'infra', 'local', 'cut');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'half-written'), 'x');
  const made = await s.op('infra.vps.create', { provider: 'local', name: 'cut', type: 'local', region: 'loopback' }, { human: true });
  assert.equal(made.status, 200, JSON.stringify(made.body));
  assert.equal(existsSync(join(dir, 'half-written')), false, 'the leftover was cleared');
  assert.match(made.body.server.ipv4, /^127\.0\.0\.\d+$/);
  const gone = await s.op('infra.vps.destroy', { id: 'local:cut' }, { human: true });
  assert.equal(gone.status, 200, JSON.stringify(gone.body));
});

test('local provider: exec runs a command in the server\'s data dir; it is destructive unless declared harmless', async () => {
  const haltId = await haltedWith(s, 'infra.vps.exec', { id: 'photos', command: 'ls data.db && echo done >&2 && exit 3' }, /Run on server photos: ls data\.db/);
  const d = await approve(s, haltId);
  assert.deepEqual([d.result.exitCode, d.result.stdout, d.result.stderr], [3, 'data.db\n', 'done\n']);
  const direct = await s.op('infra.vps.exec', { id: 'local:photos', command: 'uptime' });
  assert.equal(direct.status, 200, 'uptime is listed as harmless by default');
  assert.equal(direct.body.exitCode, 0);
  const audit = s.kernel.db.prepare("SELECT input FROM audit WHERE op = 'infra.vps.exec' ORDER BY rowid").all() as { input: string }[];
  assert.ok(audit.some((a) => a.input.includes('uptime')), 'each exec is audited with its command');
});

test('infra.peers.call runs an op on the server\'s fazt, judged here by that op\'s risk; its refusals come back named', async () => {
  const made = await s.op('infra.peers.call', { id: 'photos', op: 'apps.create', args: { name: 'remote-app' } });
  assert.equal(made.status, 200, JSON.stringify(made.body));
  assert.equal(made.body.server, 'local:photos');
  assert.equal(made.body.output.slug, 'remote-app');
  const listed = await runCli(['infra', 'peers', 'call', 'photos', 'apps.list', '--json'], { dataDir: s.dataDir });
  assert.equal(listed.code, 0, listed.stderr);
  assert.ok(JSON.parse(listed.stdout).output.apps.some((a: { slug: string }) => a.slug === 'remote-app'));
  assert.equal((await s.op('apps.get', { id: 'remote-app' })).status, 404, 'made there, not here');

  // Destructive there means a halt here, before anything is sent.
  const del = await s.op('infra.peers.call', { id: 'photos', op: 'apps.delete', args: { id: 'remote-app' } });
  assert.equal(del.status, 202, JSON.stringify(del.body));
  assert.match(del.body.reason, /Run apps\.delete on server photos/);
  const still = await s.op('infra.peers.call', { id: 'photos', op: 'apps.get', args: { id: 'remote-app' } });
  assert.equal(still.status, 200);

  const unknown = await s.op('infra.peers.call', { id: 'photos', op: 'apps.lst' });
  assert.equal(unknown.body.error.code, 'BAD_INPUT');
  assert.match(unknown.body.error.message, /did you mean 'apps\.list'/);
  const humanOnly = await s.op('infra.peers.call', { id: 'photos', op: 'halt.approve', args: { id: 'h' } });
  assert.equal(humanOnly.body.error.code, 'FORBIDDEN');
  const beyond = await s.op('infra.peers.call', { id: 'photos', op: 'tokens.list' });
  assert.equal(beyond.body.error.code, 'FORBIDDEN', 'the peer token holds only what a launch needs');
  assert.match(beyond.body.error.message, /^photos: /);
  const badArgs = await s.op('infra.peers.call', { id: 'photos', op: 'apps.create', args: { name: 'x', colour: 'red' } });
  assert.equal(badArgs.body.error.code, 'BAD_INPUT');
  assert.match(badArgs.body.error.message, /colour/);
  const noServer = await s.op('infra.peers.call', { id: 'nowhere', op: 'apps.list' });
  assert.equal(noServer.status, 404);
});

test('local provider: reboot gives a running server again; destroy halts, then stops it and removes its data dir', async () => {
  const r = await s.op('infra.vps.reboot', { id: 'local:photos' });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  const st = await s.op('infra.vps.status', { id: 'local:photos' });
  assert.equal(st.body.fazt.reachable, true);
  const url = st.body.fazt.url;

  const haltId = await haltedWith(s, 'infra.vps.destroy', { id: 'local:photos' }, /Destroy server 'photos' \(local:photos, local in loopback\)/);
  assert.ok(existsSync(join(s.dataDir, 'infra', 'local', 'photos')), 'nothing happens before approval');
  const d = await approve(s, haltId);
  assert.equal(d.status, 'approved', JSON.stringify(d));
  assert.equal(existsSync(join(s.dataDir, 'infra', 'local', 'photos')), false);
  await assert.rejects(fetch(`${url}/api/health`), 'the child no longer listens');
  const gone = await s.op('infra.vps.status', { id: 'local:photos' });
  assert.equal(gone.status, 404);
});
