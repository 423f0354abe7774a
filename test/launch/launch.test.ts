import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { runCli, startServer, type TestServer } from '../helpers/server.js';
import { tempDir } from '../helpers/temp.js';

describe('apps.launch: the launch as a resumable plan of ordinary op calls', () => {
  let s: TestServer;
  before(async () => {
    s = await startServer();
  });
  after(() => s.close());

  it('plans without doing anything, saying why a step does not apply', async () => {
    const p = await s.op('apps.launch.plan', { name: 'photos', domain: 'Photos.Example.test' });
    assert.equal(p.status, 200, JSON.stringify(p.body));
    assert.equal(p.body.domain, 'photos.example.test');
    const dns = p.body.steps.find((x: { key: string }) => x.key === 'dns');
    assert.equal(dns.status, 'skipped');
    assert.match(dns.detail, /point photos\.example\.test at this server/);
    assert.equal(p.body.steps.find((x: { key: string }) => x.key === 'app').status, 'pending');
    const cert = p.body.steps.find((x: { key: string }) => x.key === 'certificate');
    assert.equal(cert.status, 'skipped', 'this server serves no HTTPS');
    assert.match(cert.detail, /does not serve HTTPS \(start it with --https-port N/);
    assert.equal((await s.op('apps.get', { id: 'photos' })).status, 404);
  });

  it('runs the steps as the caller, audited one by one, and a second launch shows the same plan', async () => {
    const r = await s.op('apps.launch', { name: 'photos', domain: 'photos.example.test' });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.status, 'done', JSON.stringify(r.body));
    assert.equal((await s.op('apps.get', { id: 'photos' })).status, 200);
    s.kernel.audit.flush();
    const audit = (await s.op('audit.query', { op: 'apps.create', limit: 10 })).body;
    assert.ok(JSON.stringify(audit).includes('apps.create'), JSON.stringify(audit));
    const again = await s.op('apps.launch', { name: 'photos', domain: 'photos.example.test' });
    assert.equal(again.body.id, r.body.id);
    assert.equal(again.body.status, 'done');
    const list = await s.op('apps.launch.list', {});
    assert.equal(list.body.launches.length, 1);
  });

  it('a failed step stops the plan with the error and what to do; fixing it and launching again continues', async () => {
    const r = await s.op('apps.launch', { name: 'blog', domain: 'blog.example.test', template: 'no-such-template' });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.status, 'failed');
    const app = r.body.steps.find((x: { key: string }) => x.key === 'app');
    assert.equal(app.status, 'failed');
    assert.equal(app.error.code, 'BAD_INPUT');
    assert.match(r.body.next, /run the launch again/);
    assert.equal((await s.op('apps.get', { id: 'blog' })).status, 404, 'nothing half-made');
    // Launching again with the template fixed is a new launch with the new settings, not the failed one again.
    const fixed = await s.op('apps.launch', { name: 'blog', domain: 'blog.example.test', template: 'blog' });
    assert.equal(fixed.body.status, 'done', JSON.stringify(fixed.body));
    assert.notEqual(fixed.body.id, r.body.id);
    assert.equal((await s.op('apps.get', { id: 'blog' })).status, 200);
    assert.equal((await s.op('apps.launch.status', { id: r.body.id })).body.status, 'failed', 'the failed one is kept as it was');
  });

  it('refuses an IP, a bare name and a malformed address by name', async () => {
    for (const [input, re] of [
      [{ name: 'x', domain: '10.0.0.1' }, /IP address/],
      [{ name: 'x', domain: 'localhost' }, /needs at least two labels/],
      [{ name: 'x', domain: 'bad_name.example.test' }, /label 'bad_name' is not/],
      [{ name: 'x', domain: 'x.example.test', address: 'my-server' }, /not an IPv4 or IPv6/],
      [{ name: 'x', domain: 'x.example.test', vps: 'big' }, /vps/],
      [{ name: 'x', domain: 'x.example.test', vps: { provider: 'linode', type: 't', region: 'r' } }, /unknown provider 'linode'; valid: hetzner, digitalocean, local/],
      [{ name: 'x', domain: 'x.example.test', vps: { provider: 'local', type: 'local', region: 'loopback', size: 'xl' } }, /size/],
      [{ name: 'x', domain: 'x.example.test', vps: { provider: 'local', type: 'local', region: 'loopback', name: 'Not_A_Host' } }, /vps\.name: 'Not_A_Host' is not a host name/],
    ] as const) {
      const r = await s.op('apps.launch', input);
      assert.equal(r.status, 400, JSON.stringify(r.body));
      assert.match(JSON.stringify(r.body.error), re);
    }
    assert.equal((await s.op('apps.launch.list', {})).body.launches.filter((l: { app: string }) => l.app === 'x').length, 0, 'nothing was saved');
    const status = await s.op('apps.launch.status', { id: 'launch_nope' });
    assert.equal(status.status, 404);
  });
});

describe('apps.launch plan from the CLI with a server of its own', () => {
  it('shows the server step with its price, and the app steps on that server; nothing is created', async () => {
    const s = await startServer();
    try {
      const r = await runCli(['apps', 'launch', 'plan', 'Ada Photos', 'ada.example.test', '--template', 'portfolio', '--vps', '{"provider":"local","type":"local","region":"loopback"}', '--json'], { dataDir: s.dataDir });
      assert.equal(r.code, 0, r.stderr);
      const steps = JSON.parse(r.stdout).steps as { key: string; status: string; server?: string; detail: string }[];
      assert.match(steps[0].detail, /Create the local server 'ada-photos' .*0\.00 USD\/month/);
      assert.deepEqual(steps.filter((x) => x.server).map((x) => x.key), ['app', 'domain', 'certificate']);
      assert.deepEqual((await s.op('infra.vps.list', {})).body.servers, []);
    } finally {
      await s.close();
    }
  });
});

describe('apps.launch: a server stopped in the middle', () => {
  it('marks the launch interrupted at the next start; resuming checks the interrupted step and does not repeat it', async () => {
    const dir = tempDir();
    try {
      let s = await startServer({ dataDir: dir.dir });
      // As if the process died right after the app was created, before the plan was saved.
      assert.equal((await s.op('apps.create', { name: 'shop' })).status, 200);
      const plan = s.kernel.services.launch.create({ name: 'shop', domain: 'shop.example.test' }, 'owner', [
        { key: 'dns', title: 'Point the domain at the server', op: 'infra.dns.set', status: 'skipped', detail: 'skipped' },
        { key: 'app', title: 'Create the app', op: 'apps.create', status: 'running', detail: 'Create the empty app' },
      ]);
      await s.close();
      s = await startServer({ dataDir: dir.dir });
      const seen = await s.op('apps.launch.status', { id: plan.id });
      assert.equal(seen.body.status, 'interrupted');
      assert.match(seen.body.next, /Resume it/);
      const resumed = await s.op('apps.launch.resume', { id: plan.id });
      assert.equal(resumed.status, 200, JSON.stringify(resumed.body));
      assert.equal(resumed.body.status, 'done', JSON.stringify(resumed.body));
      s.kernel.audit.flush();
      const creates = (await s.op('audit.query', { op: 'apps.create', limit: 10 })).body;
      assert.equal(JSON.stringify(creates).match(/"op":"apps\.create"/g)?.length, 1, 'the app was created once');
      await s.close();
    } finally {
      dir.cleanup();
    }
  });
});
