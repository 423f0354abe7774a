import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, type TestServer } from '../helpers/server.js';
import { digitalOceanFake, type DigitalOceanFake } from './contract/digitalocean.js';
import { approve, haltedWith } from './helpers.js';

let s: TestServer;
let dof: DigitalOceanFake;

before(async () => {
  dof = await digitalOceanFake();
  s = await startServer();
  await s.op('infra.providers.set', { provider: 'digitalocean', apiToken: dof.token, baseUrl: dof.base });
});

after(async () => {
  await s.close();
  await dof.close();
});

test('DigitalOcean (loopback contract): sizes follow links.pages.next across pages, one USD price each', async () => {
  dof.maxPerPage = 2;
  dof.received.length = 0;
  try {
    const r = await s.op('infra.vps.types', { provider: 'digitalocean' });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.deepEqual(dof.received.map((x) => `${x.path}?page=${x.query.page ?? ''}`), ['/v2/sizes?page=', '/v2/sizes?page=2']);
    assert.equal(dof.received[0].query.per_page, '200');
    assert.deepEqual(r.body.types.map((t: any) => [t.name, t.memoryGb, t.prices['*'].monthly, t.prices['*'].currency]), [['s-1vcpu-1gb', 1, 6, 'USD'], ['s-1vcpu-2gb', 2, 12, 'USD'], ['s-2vcpu-4gb', 4, 24, 'USD']]);
  } finally {
    dof.maxPerPage = 200;
  }
});

test('DigitalOcean (loopback contract): create halts with the price, posts the droplet, polls its create action; destroy deletes it', async () => {
  dof.received.length = 0;
  const haltId = await haltedWith(s, 'infra.vps.create', { provider: 'digitalocean', name: 'blog', type: 's-1vcpu-1gb', region: 'nyc3', installFazt: false }, /for 6\.00 USD\/month/);
  const d = await approve(s, haltId);
  assert.equal(d.status, 'approved', JSON.stringify(d));
  const post = dof.received.find((r) => r.method === 'POST')!;
  assert.equal(post.path, '/v2/droplets');
  const { user_data, ...rest } = post.body;
  assert.deepEqual(rest, { name: 'blog', region: 'nyc3', size: 's-1vcpu-1gb', image: 'ubuntu-24-04-x64', ssh_keys: [], tags: ['fazt'] });
  assert.match(user_data, /^#cloud-config\nssh_authorized_keys:\n  - ssh-ed25519 /);
  assert.equal(dof.calls(/^GET \/v2\/actions\//).length, 2);
  assert.equal(d.result.server.state, 'running');
  assert.equal(d.result.server.ipv4, '127.0.0.1');

  const reboot = await s.op('infra.vps.reboot', { id: d.result.server.id });
  assert.equal(reboot.status, 200);
  assert.deepEqual(dof.received.filter((r) => r.method === 'POST').at(-1)!.body, { type: 'reboot' });

  const del = await approve(s, await haltedWith(s, 'infra.vps.destroy', { id: 'blog' }, /Destroy server 'blog'/));
  assert.equal(del.status, 'approved');
  assert.equal(dof.droplets.length, 0);
});

test('DigitalOcean (loopback contract): no funds and a droplet limit are named; installFazt without a public URL is refused first', async () => {
  dof.failNext({ status: 402, match: /^POST \/v2\/droplets$/, body: { id: 'payment_required', message: 'Insufficient funds: add a payment method.', request_id: 'r' } });
  const f = await s.op('infra.vps.create', { provider: 'digitalocean', name: 'x1', type: 's-1vcpu-1gb', region: 'nyc3', installFazt: false }, { human: true });
  assert.equal(f.body.error.code, 'INFRA_INSUFFICIENT_FUNDS');
  assert.equal(f.status, 402);
  dof.failNext({ status: 422, match: /^POST \/v2\/droplets$/, body: { id: 'unprocessable_entity', message: 'creating this/these droplet(s) will exceed your droplet limit', request_id: 'r' } });
  const q = await s.op('infra.vps.create', { provider: 'digitalocean', name: 'x2', type: 's-1vcpu-1gb', region: 'nyc3', installFazt: false }, { human: true });
  assert.equal(q.body.error.code, 'INFRA_QUOTA_EXCEEDED');
  const n = await s.op('infra.vps.create', { provider: 'digitalocean', name: 'x3', type: 's-1vcpu-1gb', region: 'nyc3' }, { human: true });
  assert.match(n.body.error.message, /public URL/);
  assert.equal(dof.droplets.length, 0);
});

test('DigitalOcean DNS (loopback contract): set is an upsert of (name, type), records list relative names, delete removes one value', async () => {
  dof.received.length = 0;
  await s.op('infra.dns.set', { zone: 'example.org', provider: 'digitalocean', name: 'www', type: 'CNAME', value: 'example.org' });
  await s.op('infra.dns.set', { zone: 'example.org', provider: 'digitalocean', name: 'www', type: 'CNAME', value: 'blog.example.org' });
  await s.op('infra.dns.set', { zone: 'example.org', provider: 'digitalocean', name: '@', type: 'CAA', value: '0 issue "letsencrypt.org"' });
  const writes = dof.received.filter((r) => r.method !== 'GET').map((r) => [r.method, r.path.replace(/\d+$/, 'ID'), r.body]);
  assert.deepEqual(writes, [
    ['POST', '/v2/domains/example.org/records', { type: 'CNAME', name: 'www', ttl: 300, data: 'example.org.' }],
    ['PUT', '/v2/domains/example.org/records/ID', { type: 'CNAME', name: 'www', ttl: 300, data: 'blog.example.org.' }],
    ['POST', '/v2/domains/example.org/records', { type: 'CAA', name: '@', ttl: 300, flags: 0, tag: 'issue', data: 'letsencrypt.org' }],
  ]);
  const recs = await s.op('infra.dns.records', { zone: 'example.org', provider: 'digitalocean' });
  assert.deepEqual(recs.body.records.map((r: any) => [r.name, r.type, r.value]), [['www', 'CNAME', 'blog.example.org'], ['@', 'CAA', '0 issue "letsencrypt.org"']]);
  const del = await s.op('infra.dns.delete', { zone: 'example.org', provider: 'digitalocean', name: 'www', type: 'CNAME', value: 'blog.example.org' }, { human: true });
  assert.equal(del.body.deleted, 1);
  assert.equal(dof.records.length, 1);
});
