import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { readClientConfig } from '../../src/server/client-config.js';
import { humanHeaders, killHard, spawnServer, type SpawnedServer } from '../helpers/server.js';
import { tempDir } from '../helpers/temp.js';
import { freePort, planPebble, startPebble, type Pebble } from '../ssl/pebble.js';

const run = promisify(execFile);

type Plan = { id: string; status: string; steps: { key: string; status: string }[]; next: string };

/**
 * kill -9 in the middle of a launch onto a local server: the server (a child of
 * this node) stops with it; at the next start the launch is 'interrupted', the
 * server starts again, and resuming checks the cut step and finishes.
 */
describe('apps.launch survives kill -9 in the middle', () => {
  const tmp = tempDir();
  let pebble: Pebble;
  let srv: SpawnedServer | undefined;
  let rootFile: string;
  let args: string[];
  let port: number;
  before(async () => {
    const plan = await planPebble();
    port = await freePort();
    const dnsPort = await freePort();
    const httpsPort = await freePort();
    args = ['--no-example', '--dns-port', String(dnsPort), '--https-port', String(httpsPort), '--acme-directory', plan.directoryUrl,
      '--set', `ssl.acmeCa=${plan.tlsCaFile}`, '--set', `ssl.resolver=127.0.0.1:${dnsPort}`];
    pebble = await startPebble(plan, port, { dnsServer: `127.0.0.1:${dnsPort}` });
    rootFile = join(plan.dir, 'pebble-root.pem');
    writeFileSync(rootFile, await pebble.root());
  });
  after(async () => {
    if (srv) await srv.stop();
    await pebble?.stop();
    tmp.cleanup();
  });

  const call = async (op: string, input: unknown, human = false) => {
    const res = await fetch(`${srv!.url}/api/ops/${op}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${readClientConfig(tmp.dir)!.token}`, 'content-type': 'application/json', ...(human ? humanHeaders(tmp.dir) : {}) },
      body: JSON.stringify(input),
    });
    return { status: res.status, body: (await res.json()) as any };
  };
  const childUp = () => fetch(`http://127.0.0.2:${port}/api/health`).then(() => true, () => false);

  it('is interrupted at a step after the server was made; the next start resumes it to the end', async () => {
    srv = await spawnServer(tmp.dir, args, { port });
    assert.equal((await call('dns.zones.create', { zone: 'example.com' })).status, 200);
    // The owner at the keyboard: the server is created without a halt.
    const launching = call('apps.launch', { name: 'photos', domain: 'photos.example.com', template: 'portfolio', vps: { provider: 'local', type: 'local', region: 'loopback' } }, true).catch(() => null);

    let cutAt: string | undefined;
    const until = Date.now() + 60_000;
    while (!cutAt && Date.now() < until) {
      const list = (await call('apps.launch.list', {})).body.launches as Plan[];
      const steps = list[0]?.steps ?? [];
      if (steps.find((x) => x.key === 'server')?.status === 'done') cutAt = steps.find((x) => x.status === 'running')?.key;
      if (list[0]?.status === 'done') break;
      if (!cutAt) await new Promise((r) => setTimeout(r, 5));
    }
    assert.ok(cutAt, 'caught the launch in a step after the server was made');
    await killHard(srv);
    await launching;
    // The local server is tied to this node: it stops with it.
    const gone = Date.now() + 15_000;
    while ((await childUp()) && Date.now() < gone) await new Promise((r) => setTimeout(r, 100));
    assert.equal(await childUp(), false, 'the local server stopped with the node that ran it');

    srv = await spawnServer(tmp.dir, args, { port });
    const interrupted = (await call('apps.launch.list', {})).body.launches[0] as Plan;
    assert.equal(interrupted.status, 'interrupted', JSON.stringify(interrupted));
    // Saved after every step: done ones, then the one cut short (unless the kill fell between two), then pending ones.
    const states = interrupted.steps.map((x) => x.status).join(' ');
    assert.match(states, /^done( done)*( running)?( pending)*$/, states);
    assert.notEqual(interrupted.steps.at(-1)!.status, 'done', 'the launch had not finished');
    assert.match(interrupted.next, new RegExp(`apps launch resume ${interrupted.id}`));

    const resumed = await call('apps.launch.resume', { id: interrupted.id });
    assert.equal(resumed.status, 200, JSON.stringify(resumed.body));
    assert.equal(resumed.body.status, 'done', JSON.stringify(resumed.body, null, 1));
    assert.deepEqual(resumed.body.steps.map((x: { key: string; status: string }) => `${x.key}:${x.status}`), ['server:done', 'dns:done', 'app:done', 'domain:done', 'certificate:done']);
    const httpsPort = args[args.indexOf('--https-port') + 1];
    const { stdout } = await run('curl', ['-sS', '--fail', '--cacert', rootFile, '--resolve', `photos.example.com:${httpsPort}:127.0.0.2`, `https://photos.example.com:${httpsPort}/`]);
    assert.match(stdout, /<html/i);
    const servers = (await call('infra.vps.list', {})).body.servers as { id: string }[];
    assert.deepEqual(servers.map((x) => x.id), ['local:photos'], 'no second server was made');
  });

  it('cut during the server create: the create asks the owner again on resume, and the half-made server is not left behind', async () => {
    const input = { name: 'shop', domain: 'shop.example.com', template: 'landing', vps: { provider: 'local', type: 'local', region: 'loopback' } };
    const launching = call('apps.launch', input, true).catch(() => null);
    const dir = join(tmp.dir, 'infra', 'local', 'shop');
    const until = Date.now() + 30_000;
    let seen = false;
    while (!seen && Date.now() < until) {
      const plan = ((await call('apps.launch.list', {})).body.launches as (Plan & { app: string })[]).find((l) => l.app === 'shop');
      seen = plan?.steps[0].status === 'running' && existsSync(dir);
      if (!seen) await new Promise((r) => setTimeout(r, 5));
    }
    assert.ok(seen, 'caught the create with its server half made');
    await killHard(srv!);
    await launching;

    srv = await spawnServer(tmp.dir, args, { port });
    const plan = ((await call('apps.launch.list', {})).body.launches as (Plan & { app: string })[]).find((l) => l.app === 'shop')!;
    assert.equal(plan.status, 'interrupted');
    assert.equal(plan.steps[0].status, 'running');
    // Resumed by a caller with nobody at the keyboard: the costly create waits for the owner again.
    const asked = await call('apps.launch.resume', { id: plan.id });
    assert.equal(asked.body.status, 'waiting', JSON.stringify(asked.body));
    const approved = await call('halt.approve', { id: asked.body.steps[0].haltId }, true);
    assert.equal(approved.body.status, 'approved', JSON.stringify(approved.body));
    const done = await call('apps.launch.resume', { id: plan.id });
    assert.equal(done.body.status, 'done', JSON.stringify(done.body, null, 1));
    const servers = (await call('infra.vps.list', {})).body.servers as { id: string; ipv4: string }[];
    assert.deepEqual(servers.map((x) => x.id).sort(), ['local:photos', 'local:shop']);
    const shop = servers.find((x) => x.id === 'local:shop')!;
    assert.equal(shop.ipv4, '127.0.0.3', 'an address of its own, next to photos');
    const httpsPort = args[args.indexOf('--https-port') + 1];
    const { stdout } = await run('curl', ['-sS', '--fail', '--cacert', rootFile, '--resolve', `shop.example.com:${httpsPort}:${shop.ipv4}`, `https://shop.example.com:${httpsPort}/`]);
    assert.match(stdout, /<html/i);
  });
});
