import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { PEER_CAPS } from '../../src/infra/peer-caps.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { hetznerFake, type HetznerFake } from '../infra/contract/hetzner.js';
import { freePort } from '../ssl/pebble.js';

type Plan = { id: string; status: string; steps: { key: string; status: string; error?: { code: string; message: string } }[]; next: string };

/**
 * A launch onto a Hetzner server (the loopback contract server): the server is
 * created with cloud-init that installs fazt, and the app's steps wait until that
 * fazt registers with this node. The "new node" is a real fazt on 127.0.0.1 (the
 * address the contract server reports), registering with the one-time token from
 * the cloud-init, as its first boot would.
 */
describe('apps.launch onto a Hetzner server: the app steps wait for the new node to register, then run there', () => {
  let s: TestServer;
  let peer: TestServer;
  let hz: HetznerFake;
  before(async () => {
    hz = await hetznerFake();
    s = await startServer({ publicUrl: 'https://home.example.test', dnsPort: await freePort() });
    assert.equal((await s.op('infra.providers.set', { provider: 'hetzner', apiToken: hz.token, baseUrl: hz.base })).status, 200);
    assert.equal((await s.op('dns.zones.create', { zone: 'example.test' })).status, 200);
    assert.equal((await s.op('infra.vps.types', { provider: 'hetzner' })).status, 200, 'prices are known, so the plan can say them');
  });
  after(async () => {
    await s?.close();
    await peer?.close();
    await hz?.close();
  });

  it('creates the server, points DNS at it, stops at the app step until fazt registers, and resumes there', async () => {
    const input = { name: 'shop', domain: 'shop.example.test', template: 'landing', vps: { provider: 'hetzner', type: 'cx22', region: 'fsn1' } };
    const planned = await s.op('apps.launch.plan', input);
    assert.match(planned.body.steps[0].detail, /Create the hetzner server 'shop' \(cx22 in fsn1\) with fazt installed, for 4\.51 EUR\/month/);

    const first = await s.op('apps.launch', input, { human: true });
    assert.equal(first.status, 200, JSON.stringify(first.body));
    const p1 = first.body as Plan;
    assert.equal(p1.status, 'failed', JSON.stringify(p1, null, 1));
    assert.deepEqual(p1.steps.map((x) => `${x.key}:${x.status}`), ['server:done', 'dns:done', 'app:failed', 'domain:pending', 'certificate:pending']);
    assert.match(p1.steps[2].error!.message, /has not registered yet/);
    assert.match(p1.next, new RegExp(`apps launch resume ${p1.id}`));
    const dns = await s.op('infra.dns.records', { zone: 'example.test', provider: 'builtin' });
    assert.ok(JSON.stringify(dns.body).includes('127.0.0.1'), 'the record points at the address Hetzner gave the server');

    // First boot: the new node makes a peer token and registers with the one-time token cloud-init carries.
    const post = hz.received.find((r) => r.method === 'POST' && r.path === '/v1/servers')!;
    for (const cap of PEER_CAPS) assert.ok(post.body.user_data.includes(`--cap ${cap}`), `cloud-init asks for ${cap}`);
    const reg = /Bearer (fzt_[A-Za-z0-9_-]+)/.exec(post.body.user_data)![1];
    peer = await startServer({ extra: { 'ssl.httpsPort': '0' } });
    const made = await peer.op('tokens.create', { name: 'peer-home', cap: PEER_CAPS }, { human: true });
    const registered = await s.op('infra.peers.register', { server: 'shop', token: made.body.token, port: Number(new URL(peer.url).port) }, { token: reg });
    assert.equal(registered.status, 200, JSON.stringify(registered.body));

    const resumed = await s.op('apps.launch.resume', { id: p1.id });
    assert.equal(resumed.status, 200, JSON.stringify(resumed.body));
    assert.equal(resumed.body.status, 'done', JSON.stringify(resumed.body, null, 1));
    assert.equal((await peer.op('apps.get', { id: 'shop' })).status, 200, 'the app is on the new node');
    assert.deepEqual((await peer.op('apps.domains.list', { app: 'shop' })).body.domains.map((d: { domain: string }) => d.domain), ['shop.example.test']);
    assert.equal((await peer.op('net.ssl.status', { domain: 'shop.example.test' })).body.certificate.state, 'valid');
    assert.equal((await s.op('apps.get', { id: 'shop' })).status, 404);
    assert.equal(hz.received.filter((r) => r.method === 'POST' && r.path === '/v1/servers').length, 1, 'resuming did not create a second server');
  });
});
