import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { useAcmeHome } from './acme-home.js';
import { connect, textOf } from '../mcp/client.js';

const run = promisify(execFile);

type Launched = { id: string; status: string; steps: { key: string; status: string; op: string; server?: string; haltId?: string; detail: string }[]; next: string };

/**
 * The seed's first conversation, whole: "launch photos.example.com on a server of
 * its own" through a real MCP client (a public name, so the certificate comes from
 * the ACME CA; *.test names get the local CA's). The local provider's server is a real child
 * fazt with its own loopback address (127.0.0.2) on this node's ports; this node
 * hosts the zone on its DNS server, which Pebble resolves through, so Pebble
 * validates HTTP-01 on the new server itself. The costly step halts once.
 */
describe('apps.launch with a server of its own: create it (approved once), DNS, app, domain and certificate there', () => {
  const home = useAcmeHome('example.com');

  it('a model plans and launches; the server waits for the owner once; curl sees the portfolio over HTTPS on the new server', async () => {
    const { s, rootFile } = home;
    const args = { name: 'photos', domain: 'photos.example.com', template: 'portfolio', vps: { provider: 'local', type: 'local', region: 'loopback' } };
    const client = await connect(`${s.url}/mcp`, { token: s.token });
    let first: Launched;
    let again: Launched;
    try {
      const planned = await client.callTool({ name: 'apps_launch_plan', arguments: args });
      assert.notEqual(planned.isError, true, textOf(planned));
      const steps = (planned.structuredContent as { steps: Launched['steps'] }).steps;
      assert.match(steps[0].detail, /Create the local server 'photos' \(local in loopback\) with fazt installed, for 0\.00 USD\/month; this waits for your approval/);
      assert.deepEqual(steps.map((x) => `${x.key}:${x.op}:${x.server ?? 'here'}`), [
        'server:infra.vps.create:here', 'dns:infra.dns.set:here', 'app:infra.peers.call:photos', 'domain:infra.peers.call:photos', 'certificate:infra.peers.call:photos',
      ]);
      assert.match(steps[1].detail, /photos\.example\.com A → the address of the server 'photos' in the zone example\.com \(builtin\)/);

      const r = await client.callTool({ name: 'apps_launch', arguments: args });
      assert.notEqual(r.isError, true, textOf(r));
      first = r.structuredContent as Launched;
      const r2 = await client.callTool({ name: 'apps_launch', arguments: args });
      again = r2.structuredContent as Launched;
    } finally {
      await client.close();
    }
    assert.equal(first.status, 'waiting', JSON.stringify(first));
    const waiting = first.steps.find((x) => x.key === 'server')!;
    assert.equal(waiting.status, 'waiting');
    assert.match(first.next, new RegExp(`approve halt ${waiting.haltId}`));
    assert.deepEqual(first.steps.slice(1).map((x) => x.status), ['pending', 'pending', 'pending', 'pending'], 'nothing after the costly step ran');
    assert.equal(again.status, 'waiting', 'asking again while the halt is pending waits on the same halt');
    const halts = (await s.op('halt.list', {})).body.halts as { id: string; op: string; reason: string }[];
    assert.deepEqual(halts.map((h) => h.op), ['infra.vps.create'], 'one halt, not one per call');
    assert.match(halts[0].reason, /0\.00 USD\/month/);

    // The owner approves in person: the approval creates the server.
    const decided = await s.op('halt.approve', { id: waiting.haltId }, { human: true });
    assert.equal(decided.body.status, 'approved', JSON.stringify(decided.body));
    assert.equal(decided.body.result.server.ipv4, '127.0.0.2');

    const client2 = await connect(`${s.url}/mcp`, { token: s.token });
    let done: Launched;
    try {
      const r = await client2.callTool({ name: 'apps_launch', arguments: args });
      assert.notEqual(r.isError, true, textOf(r));
      done = r.structuredContent as Launched;
    } finally {
      await client2.close();
    }
    assert.equal(done.status, 'done', JSON.stringify(done, null, 1));
    assert.deepEqual(done.steps.map((x) => `${x.key}:${x.status}`), ['server:done', 'dns:done', 'app:done', 'domain:done', 'certificate:done']);
    assert.equal(done.next, "Launched: https://photos.example.com/ is served by the server 'photos'.");
    assert.match(done.steps[0].detail, /^Create the local server/, 'each step still says what it does');

    const { stdout: dig } = await run('dig', ['@127.0.0.1', '-p', String(s.kernel.config.dnsPort), '+short', 'photos.example.com', 'A']);
    assert.equal(dig.trim(), '127.0.0.2', 'the domain points at the new server');
    const port = s.kernel.services.ssl.httpsPort!;
    const { stdout } = await run('curl', ['-sS', '--fail', '--cacert', rootFile, '--resolve', `photos.example.com:${port}:127.0.0.2`, `https://photos.example.com:${port}/`]);
    assert.match(stdout, /<html/i);
    assert.match(stdout, /photos/i);
    const served = await s.kernel.services.infra.callPeer(s.kernel.services.infra.servers.byName('local', 'photos')!, 'net.ssl.status', { domain: 'photos.example.com' });
    assert.equal((served as { certificate: { source: string } }).certificate.source, 'acme');

    // The app lives on the new server, not here.
    assert.equal((await s.op('apps.get', { id: 'photos' })).status, 404);
    s.kernel.audit.flush();
    const here = (s.kernel.db.prepare('SELECT op, input FROM audit ORDER BY rowid').all() as { op: string; input: string }[]);
    for (const op of ['apps.launch', 'infra.vps.create', 'infra.dns.set', 'infra.peers.call']) assert.ok(here.some((a) => a.op === op), `${op} is audited here`);
    assert.ok(here.some((a) => a.op === 'infra.peers.call' && a.input.includes('net.ssl.provision')), 'each remote op is named in the audit');
    // Stopped, so its audit buffer is written.
    await s.kernel.services.infra.local.stop('photos');
    const there = new Database(join(s.dataDir, 'infra', 'local', 'photos', 'data.db'), { readonly: true });
    try {
      const ops = (there.prepare("SELECT op, caller FROM audit WHERE outcome = 'ok'").all() as { op: string; caller: string }[]).map((a) => a.op);
      for (const op of ['apps.create', 'apps.domains.add']) assert.ok(ops.includes(op), `${op} is audited on the new server`);
    } finally {
      there.close();
    }
  });

  it('a second app on the same server at a .test name: the server is reused without asking, and the certificate is that server\'s local CA\'s', async () => {
    const { s } = home;
    assert.equal((await s.op('dns.zones.create', { zone: 'example.test' })).status, 200);
    const input = { name: 'notes', domain: 'notes.example.test', template: 'blog', vps: { provider: 'local', type: 'local', region: 'loopback', name: 'photos' } };
    const planned = await s.op('apps.launch.plan', input);
    assert.match(planned.body.steps[0].detail, /Use the existing local server 'photos' \(local:photos\)/);
    assert.match(planned.body.steps[4].detail, /local CA \(a private name\)/);
    const r = await s.op('apps.launch', input);
    assert.equal(r.body.status, 'done', JSON.stringify(r.body, null, 1));
    const halts = (await s.op('halt.list', { status: 'all' })).body.halts as { op: string }[];
    assert.equal(halts.filter((h) => h.op === 'infra.vps.create').length, 1, 'no second server, no second question');
    const port = s.kernel.services.ssl.httpsPort!;
    const ca = join(s.dataDir, 'infra', 'local', 'photos', 'local-ca.pem');
    const { stdout } = await run('curl', ['-sS', '--fail', '--cacert', ca, '--resolve', `notes.example.test:${port}:127.0.0.2`, `https://notes.example.test:${port}/`]);
    assert.match(stdout, /<html/i);
  });
});
