import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { runCli, startServer, type TestServer } from '../helpers/server.js';
import { atTerminal } from '../helpers/terminal.js';

const VPS = JSON.stringify({ provider: 'local', type: 'local', region: 'loopback' });

/**
 * The owner launching from a terminal: the costly server step is asked there, with its
 * price, and a yes finishes the launch in the same command. A no, or no terminal, leaves
 * it waiting for an approval as before.
 */
describe('fazt apps launch --vps at a terminal', () => {
  let s: TestServer;
  before(async () => (s = await startServer()));
  after(async () => s.close());

  const halts = async () => (await s.op('halt.list', { status: 'all' }, { human: true })).body.halts as { op: string; status: string; id: string }[];

  it('a no leaves the launch waiting on its halt and says how to approve it', async () => {
    const r = await atTerminal(['apps', 'launch', 'notes', 'notes.example.test', '--vps', VPS, '--data', s.dataDir], /Approve it now\? \[y\/N\]/, 'n');
    assert.ok(r.asked, r.out);
    assert.equal(r.code, 0, r.out);
    assert.match(r.out, /Create local server 'notes' \(local in loopback\) for 0\.00 USD\/month/);
    assert.match(r.out, /Waiting for the owner to approve halt h/);
    const pending = (await halts()).filter((h) => h.op === 'infra.vps.create');
    assert.deepEqual(pending.map((h) => h.status), ['pending']);
    assert.equal((await s.op('infra.vps.list', {})).body.servers.length, 0, 'no server was made');
  });

  it('a yes approves the same halt there and the launch runs to the end in that command', async () => {
    const r = await atTerminal(['apps', 'launch', 'notes', 'notes.example.test', '--vps', VPS, '--data', s.dataDir], /Approve it now\? \[y\/N\]/, 'y');
    assert.ok(r.asked, r.out);
    assert.equal(r.code, 0, r.out);
    assert.match(r.out, /status\s+done/, r.out);
    const made = (await halts()).filter((h) => h.op === 'infra.vps.create');
    assert.deepEqual(made.map((h) => h.status), ['approved'], 'the pending halt was approved, no second one made');
    const servers = (await s.op('infra.vps.list', {})).body.servers as { id: string }[];
    assert.deepEqual(servers.map((x) => x.id), ['local:notes']);
    const onPeer = await s.op('infra.peers.call', { id: 'local:notes', op: 'apps.list', args: {} });
    assert.ok(onPeer.body.output.apps.some((a: { name: string }) => a.name === 'notes'), JSON.stringify(onPeer.body));
  });

  it('piped, nobody is asked: the launch answers waiting', async () => {
    const r = await runCli(['apps', 'launch', 'shop', 'shop.example.test', '--vps', JSON.stringify({ provider: 'local', type: 'local', region: 'loopback', name: 'shop' }), '--json'], { dataDir: s.dataDir });
    assert.equal(r.code, 0, r.stderr);
    const plan = JSON.parse(r.stdout);
    assert.equal(plan.status, 'waiting');
    assert.match(plan.next, /approve halt h/);
    assert.doesNotMatch(r.stderr, /Approve it now/);
  });

  it('--yes: the owner at this server runs the costly step without a halt', async () => {
    const before = (await halts()).length;
    const r = await runCli(['apps', 'launch', 'blog', 'blog.example.test', '--template', 'blog', '--vps', JSON.stringify({ provider: 'local', type: 'local', region: 'loopback', name: 'blog' }), '--yes', '--json'], { dataDir: s.dataDir });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(JSON.parse(r.stdout).status, 'done', r.stdout);
    assert.equal((await halts()).length, before, 'no halt was made');
    const help = await runCli(['apps', 'launch', '--help'], { dataDir: s.dataDir });
    assert.match(help.stdout + help.stderr, /--yes\s+run its costly steps without asking/);
  });
});
