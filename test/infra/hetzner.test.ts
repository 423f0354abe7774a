import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, type TestServer } from '../helpers/server.js';
import { hetznerFake, type HetznerFake } from './contract/hetzner.js';
import { approve, haltedWith } from './helpers.js';

let s: TestServer;
let hz: HetznerFake;
let peer: TestServer;

before(async () => {
  hz = await hetznerFake();
  s = await startServer({ publicUrl: 'https://home.example.test' });
  const set = await s.op('infra.providers.set', { provider: 'hetzner', apiToken: hz.token, baseUrl: hz.base });
  assert.equal(set.status, 200, JSON.stringify(set.body));
});

after(async () => {
  await s.close();
  await peer?.close();
  await hz.close();
});

test('Hetzner Cloud (loopback contract): the token is sealed, never echoed, and sent as a bearer token', async () => {
  const list = await s.op('infra.providers.list', { check: true });
  const row = list.body.providers.find((p: any) => p.provider === 'hetzner');
  assert.deepEqual([row.configured, row.hasToken, row.reachable], [true, true, true]);
  assert.ok(!JSON.stringify(list.body).includes(hz.token));
  assert.equal(hz.received.at(-1)!.headers.authorization, `Bearer ${hz.token}`);
  s.kernel.db.pragma('wal_checkpoint(TRUNCATE)');
  assert.ok(!readFileSync(join(s.dataDir, 'data.db')).includes(hz.token));
});

test('Hetzner Cloud (loopback contract): server types come from every page, with per-location prices', async () => {
  hz.maxPerPage = 2;
  hz.received.length = 0;
  try {
    const r = await s.op('infra.vps.types', { provider: 'hetzner' });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.deepEqual(hz.received.map((x) => `${x.method} ${x.path}?page=${x.query.page}&per_page=${x.query.per_page}`), ['GET /v1/server_types?page=1&per_page=50', 'GET /v1/server_types?page=2&per_page=50']);
    assert.deepEqual(r.body.types.map((t: any) => t.name), ['cx22', 'cx32', 'cpx11']);
    const cx22 = r.body.types[0];
    assert.deepEqual(cx22.prices.fsn1, { monthly: 4.51, hourly: 0.0071, currency: 'EUR' });
    assert.deepEqual(cx22.regions, ['fsn1', 'nbg1']);
  } finally {
    hz.maxPerPage = 50;
  }
});

test('Hetzner Cloud (loopback contract): unknown type, region or a taken name are refused before anything is created', async () => {
  const t = await s.op('infra.vps.create', { provider: 'hetzner', name: 'web', type: 'cx99', region: 'fsn1' }, { human: true });
  assert.equal(t.body.error.code, 'BAD_INPUT');
  assert.match(t.body.error.message, /valid: cx22, cx32, cpx11/);
  const r = await s.op('infra.vps.create', { provider: 'hetzner', name: 'web', type: 'cx22', region: 'mars1' }, { human: true });
  assert.match(r.body.error.message, /Unknown hetzner region 'mars1'; valid: fsn1, nbg1, hel1/);
  const m = await s.op('infra.vps.create', { provider: 'hetzner', name: 'web', type: 'cpx11', region: 'fsn1' }, { human: true });
  assert.match(m.body.error.message, /cpx11 is not offered in fsn1; it is in: hel1/);
  const p = await s.op('infra.vps.create', { provider: 'linode', name: 'web', type: 'x', region: 'y' }, { human: true });
  assert.equal(p.body.error.code, 'BAD_INPUT');
  assert.match(p.body.error.message, /hetzner.*digitalocean.*local/);
  const u = await s.op('infra.vps.create', { provider: 'hetzner', name: 'web', type: 'cx22', region: 'fsn1', color: 'red' }, { human: true });
  assert.equal(u.body.error.code, 'BAD_INPUT');
  assert.match(u.body.error.message, /color/);
  assert.equal(hz.calls(/^POST \/v1\/servers$/).length, 0);
});

test('Hetzner Cloud (loopback contract): create halts with the monthly price, then creates with cloud-init and waits for its actions', async () => {
  await s.op('infra.vps.types', { provider: 'hetzner' });
  hz.received.length = 0;
  hz.actionPolls = 2;
  const haltId = await haltedWith(s, 'infra.vps.create', { provider: 'hetzner', name: 'web-1', type: 'cx22', region: 'fsn1', sshKeys: ['laptop'] }, /Create hetzner server 'web-1' \(cx22 in fsn1\) for 4\.51 EUR\/month, with fazt installed/);
  assert.equal(hz.calls(/^POST/).length, 0, 'nothing is created before approval');
  const decided = await approve(s, haltId);
  assert.equal(decided.status, 'approved', JSON.stringify(decided));
  const out = decided.result;
  assert.equal(out.server.id, `hetzner:${hz.servers[0].id}`);
  assert.equal(out.server.state, 'running');
  assert.deepEqual(out.server.price, { monthly: 4.51, hourly: null, currency: 'EUR' });
  const post = hz.received.find((r) => r.method === 'POST' && r.path === '/v1/servers')!;
  const { user_data, ...rest } = post.body;
  assert.deepEqual(rest, { name: 'web-1', server_type: 'cx22', location: 'fsn1', image: 'ubuntu-24.04', ssh_keys: ['laptop'], start_after_create: true, labels: { 'managed-by': 'fazt' } });
  assert.match(user_data, /^#cloud-config\n/);
  assert.match(user_data, /ssh_authorized_keys:\n  - ssh-ed25519 \S+/);
  assert.match(user_data, /systemctl enable --now fazt/);
  assert.match(user_data, /https:\/\/home\.example\.test\/api\/ops\/infra\.peers\.register/);
  // Both actions (create, start) were polled until they succeeded: running twice, then success.
  const polls = hz.calls(/^GET \/v1\/actions\//);
  assert.equal(polls.length, 6, polls.join('\n'));
  hz.actionPolls = 1;
});

test('Hetzner Cloud (loopback contract): an approval pays at most the monthly price its halt showed', async () => {
  const haltId = await haltedWith(s, 'infra.vps.create', { provider: 'hetzner', name: 'web-2', type: 'cx32', region: 'fsn1' }, /for 8\.09 EUR\/month/);
  const cx32 = hz.types.find((t) => t.name === 'cx32')!;
  const before = cx32.prices[0].price_monthly.gross;
  cx32.prices[0].price_monthly.gross = '9.99';
  try {
    // A newer look at the types remembers the new price; the approval still holds to 8.09.
    await s.op('infra.vps.types', { provider: 'hetzner' });
    const posts = hz.calls(/^POST \/v1\/servers$/).length;
    const d = await approve(s, haltId);
    assert.equal(d.status, 'failed', JSON.stringify(d));
    assert.equal(d.error.code, 'CONFLICT');
    assert.match(d.error.message, /now costs 9\.99 EUR\/month, above the approved 8\.09; nothing was created/);
    assert.equal(hz.calls(/^POST \/v1\/servers$/).length, posts, 'no server was created');
  } finally {
    cx32.prices[0].price_monthly.gross = before;
  }
});

test('Hetzner Cloud (loopback contract): the new node registers with its one-time token, then status shows its pulse health', async () => {
  const post = hz.received.find((r) => r.method === 'POST' && r.path === '/v1/servers')!;
  const reg = /Bearer (fzt_[A-Za-z0-9_-]+)/.exec(post.body.user_data)![1];
  // The "remote" fazt: a real server on 127.0.0.1, as the fake reports the server's IPv4.
  peer = await startServer();
  const made = await peer.op('tokens.create', { name: 'peer-home', cap: ['kernel:pulse:read'] }, { human: true });
  const port = Number(new URL(peer.url).port);
  const wrong = await s.op('infra.peers.register', { server: 'other', token: made.body.token, port }, { token: reg });
  assert.equal(wrong.status, 403);
  const r = await s.op('infra.peers.register', { server: 'web-1', token: made.body.token, port }, { token: reg });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(r.body.url, `http://127.0.0.1:${port}`);
  const again = await s.op('infra.peers.register', { server: 'web-1', token: made.body.token, port }, { token: reg });
  assert.equal(again.status, 401, 'the registration token is revoked once used');
  const st = await s.op('infra.vps.status', { id: 'web-1' });
  assert.equal(st.status, 200, JSON.stringify(st.body));
  assert.equal(st.body.state, 'running');
  assert.equal(st.body.fazt.reachable, true);
  assert.match(st.body.fazt.health, /healthy|degraded|critical/);
});

test('Hetzner Cloud (loopback contract): a create whose action fails deletes the server, so nothing stays billed', async () => {
  hz.failCreateAction = true;
  const before = hz.servers.length;
  const r = await s.op('infra.vps.create', { provider: 'hetzner', name: 'doomed', type: 'cx22', region: 'fsn1', installFazt: false }, { human: true });
  assert.equal(r.body.error.code, 'INFRA_PROVIDER_ERROR');
  assert.match(r.body.error.message, /server could not be placed.*was deleted; nothing is billed/);
  assert.equal(hz.servers.length, before);
  assert.equal(hz.calls(/^DELETE \/v1\/servers\/\d+$/).length, 1);
  assert.equal(s.kernel.services.infra.servers.byName('hetzner', 'doomed'), undefined);
});

test('Hetzner Cloud (loopback contract): quota and rate-limit answers become typed errors; a short Retry-After is waited out', async () => {
  hz.failNext({ status: 403, match: /^POST \/v1\/servers$/, body: { error: { code: 'resource_limit_exceeded', message: 'server limit exceeded', details: {} } } });
  const q = await s.op('infra.vps.create', { provider: 'hetzner', name: 'more', type: 'cx22', region: 'fsn1', installFazt: false }, { human: true });
  assert.equal(q.body.error.code, 'INFRA_QUOTA_EXCEEDED');
  assert.match(q.body.error.message, /server limit exceeded/);

  hz.received.length = 0;
  const reset = String(Math.floor(Date.now() / 1000) + 1);
  hz.failNext({ status: 429, match: /^GET \/v1\/locations$/, headers: { 'retry-after': '1', 'ratelimit-limit': '3600', 'ratelimit-remaining': '0', 'ratelimit-reset': reset }, body: { error: { code: 'rate_limit_exceeded', message: 'limit of 3600 requests per hour reached', details: {} } } });
  const ok = await s.op('infra.vps.regions', { provider: 'hetzner' });
  assert.equal(ok.status, 200);
  assert.deepEqual(ok.body.regions.map((x: any) => x.name), ['fsn1', 'nbg1', 'hel1']);
  assert.deepEqual(hz.calls(), ['GET /v1/locations', 'GET /v1/locations']);

  hz.failNext({ status: 429, match: /^GET \/v1\/locations$/, headers: { 'retry-after': '120' }, body: { error: { code: 'rate_limit_exceeded', message: 'slow down', details: {} } } });
  const limited = await s.op('infra.vps.regions', { provider: 'hetzner' });
  assert.equal(limited.status, 429);
  assert.equal(limited.body.error.code, 'INFRA_RATE_LIMITED');
  assert.equal(limited.body.error.details.retryAfter, 120);

  const beat = await s.op('pulse.beat', {});
  const m = beat.body.metrics.infra.rateLimits.hetzner;
  assert.equal(m.limit, 3600);
  assert.equal(m.throttled, 2);
  assert.equal(typeof m.remaining, 'number');
});

test('Hetzner Cloud (loopback contract): a rejected token is a provider error with its status and message', async () => {
  await s.op('infra.providers.set', { provider: 'hetzner', apiToken: 'wrong-token-000' });
  const r = await s.op('infra.vps.list', { provider: 'hetzner' });
  assert.equal(r.body.error.code, 'INFRA_PROVIDER_ERROR');
  assert.equal(r.body.error.details.status, 401);
  assert.match(r.body.error.message, /unable to authenticate/);
  assert.ok(!JSON.stringify(r.body).includes('wrong-token-000'));
  await s.op('infra.providers.set', { provider: 'hetzner', apiToken: hz.token });
  hz.failNext({ status: 400, match: /^GET \/v1\/servers$/, body: { error: { code: 'invalid_input', message: `bad header Bearer ${hz.token}`, details: {} } } });
  const echoed = await s.op('infra.vps.list', { provider: 'hetzner' });
  assert.match(echoed.body.error.message, /bad header Bearer \[redacted\]/);
  assert.ok(!JSON.stringify(echoed.body).includes(hz.token), 'a token the provider echoes is not passed on');
});

test('Hetzner Cloud (loopback contract): destroy halts, and once approved deletes the server and forgets its peer', async () => {
  const id = `hetzner:${hz.servers[0].id}`;
  const haltId = await haltedWith(s, 'infra.vps.destroy', { id }, /Destroy server 'web-1' \(hetzner:\d+, cx22 in fsn1\)/);
  assert.equal(hz.calls(/^DELETE/).filter((c) => c.endsWith(String(hz.servers[0].id))).length, 0);
  const d = await approve(s, haltId);
  assert.equal(d.status, 'approved', JSON.stringify(d));
  assert.equal(hz.servers.length, 0);
  assert.equal(s.kernel.services.infra.servers.get(id), undefined);
  assert.equal(s.kernel.services.secrets.has(`infra.peer.${id}.token`), false);
});

test('Hetzner DNS via the Cloud API (loopback contract): upsert, TXT sets for ACME, exact RRSet calls, delete halts', async () => {
  hz.received.length = 0;
  const a = await s.op('infra.dns.set', { zone: 'example.com', name: 'www', type: 'A', value: '203.0.113.10', provider: 'hetzner' });
  assert.equal(a.status, 200, JSON.stringify(a.body));
  const b = await s.op('infra.dns.set', { zone: 'example.com', name: 'www', type: 'A', value: '203.0.113.11', ttl: 600 });
  assert.equal(b.body.provider, 'hetzner', 'the zone is remembered');
  await s.op('infra.dns.set', { zone: 'example.com', name: '@', type: 'MX', value: 'mail.example.com', priority: 10 });
  await s.kernel.services.infra.setTxt('_acme-challenge.photos.example.com', 'token-one');
  await s.kernel.services.infra.setTxt('_acme-challenge.photos.example.com', 'token-two');
  const writes = hz.received.filter((r) => r.method !== 'GET').map((r) => [r.method, r.path, r.body]);
  assert.deepEqual(writes, [
    ['POST', '/v1/zones/example.com/rrsets', { name: 'www', type: 'A', ttl: 300, records: [{ value: '203.0.113.10' }] }],
    ['POST', '/v1/zones/example.com/rrsets/www/A/actions/set_records', { records: [{ value: '203.0.113.11' }] }],
    ['POST', '/v1/zones/example.com/rrsets/www/A/actions/change_ttl', { ttl: 600 }],
    ['POST', '/v1/zones/example.com/rrsets', { name: '@', type: 'MX', ttl: 300, records: [{ value: '10 mail.example.com.' }] }],
    ['POST', '/v1/zones/example.com/rrsets', { name: '_acme-challenge.photos', type: 'TXT', ttl: 60, records: [{ value: '"token-one"' }] }],
    ['POST', '/v1/zones/example.com/rrsets/_acme-challenge.photos/TXT/actions/add_records', { ttl: 60, records: [{ value: '"token-two"' }] }],
  ]);
  const recs = await s.op('infra.dns.records', { zone: 'example.com' });
  assert.deepEqual(recs.body.records.map((r: any) => [r.name, r.type, r.value, r.ttl, r.priority]), [
    ['www', 'A', '203.0.113.11', 600, undefined],
    ['@', 'MX', 'mail.example.com', 300, 10],
    ['_acme-challenge.photos', 'TXT', 'token-one', 60, undefined],
    ['_acme-challenge.photos', 'TXT', 'token-two', 60, undefined],
  ]);
  assert.equal(await s.kernel.services.infra.removeTxt('_acme-challenge.photos.example.com', 'token-one'), 1);
  assert.deepEqual(hz.received.filter((r) => r.method === 'POST').at(-1)!.body, { records: [{ value: '"token-one"' }] });
  const haltId = await haltedWith(s, 'infra.dns.delete', { zone: 'example.com', name: 'www', type: 'A' }, /Delete DNS A records at www\.example\.com/);
  const d = await approve(s, haltId);
  assert.equal(d.result.deleted, 1);
  assert.ok(hz.calls().includes('DELETE /v1/zones/example.com/rrsets/www/A'));
});

test('DNS values of the wrong shape are refused by name, and nothing is sent', async () => {
  hz.received.length = 0;
  const cases: [Record<string, unknown>, RegExp][] = [
    [{ type: 'A', value: '2001:db8::1' }, /A record's value is an IPv4 address/],
    [{ type: 'AAAA', value: '203.0.113.1' }, /AAAA record's value is an IPv6 address/],
    [{ type: 'MX', value: 'mail.example.com' }, /MX record needs priority/],
    [{ type: 'CNAME', value: '10.0.0.1' }, /CNAME record's value is a host name/],
    [{ type: 'CAA', value: 'letsencrypt.org' }, /CAA record's value is 'flags tag "value"'/],
    [{ type: 'SRV', value: 'x' }, /valid: A, AAAA, CNAME, MX, TXT, NS, CAA/],
    [{ type: 'A', value: '203.0.113.1', ttl: 5 }, /ttl must be a whole number of seconds from 30/],
    [{ type: 'A', value: '203.0.113.1', name: 'bad name!' }, /is not a record name/],
    [{ type: 'A', value: '203.0.113.1', proxied: true }, /proxied is a Cloudflare setting/],
  ];
  for (const [extra, re] of cases) {
    const r = await s.op('infra.dns.set', { zone: 'example.com', name: 'x', provider: 'hetzner', ...extra });
    assert.equal(r.body.error?.code, 'BAD_INPUT', JSON.stringify([extra, r.body]));
    assert.match(r.body.error.message, re);
  }
  const many = await s.op('infra.dns.set-many', { zone: 'example.com', provider: 'hetzner', records: [{ name: 'a', type: 'A', value: '203.0.113.1' }, { name: 'b', type: 'A', value: 'nope' }] });
  assert.match(many.body.error.message, /records\[1\]: .*Nothing was changed/);
  assert.equal(hz.received.filter((r) => r.method !== 'GET').length, 0);
});
