import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, type TestServer } from '../helpers/server.js';
import { cloudflareFake, type CloudflareFake } from './contract/cloudflare.js';
import { approve, haltedWith } from './helpers.js';

let s: TestServer;
let cf: CloudflareFake;

before(async () => {
  cf = await cloudflareFake();
  s = await startServer();
  const r = await s.op('infra.providers.set', { provider: 'cloudflare', apiToken: cf.token, baseUrl: cf.base, accountId: cf.accountId });
  assert.equal(r.status, 200, JSON.stringify(r.body));
});

after(async () => {
  await s.close();
  await cf.close();
});

test('Cloudflare DNS through the official SDK (loopback contract): zones, upsert with full names, proxied, relative names back', async () => {
  const z = await s.op('infra.dns.zones', {});
  assert.deepEqual(z.body.zones.map((x: any) => [x.provider, x.name]), [['cloudflare', 'example.net'], ['cloudflare', 'other.net']]);
  cf.received.length = 0;
  const a = await s.op('infra.dns.set', { zone: 'example.net', name: 'photos', type: 'A', value: '203.0.113.7', proxied: true });
  assert.equal(a.status, 200, JSON.stringify(a.body));
  const b = await s.op('infra.dns.set', { zone: 'example.net', name: 'photos', type: 'A', value: '203.0.113.8', ttl: 120 });
  assert.equal(b.body.record.value, '203.0.113.8');
  await s.op('infra.dns.set', { zone: 'example.net', name: '@', type: 'MX', value: 'mx.example.net', priority: 5 });
  const writes = cf.received.filter((r) => r.method !== 'GET').map((r) => [r.method, r.path, r.body]);
  assert.deepEqual(writes, [
    ['POST', '/client/v4/zones/zone-ex/dns_records', { name: 'photos.example.net', type: 'A', ttl: 300, content: '203.0.113.7', proxied: true }],
    ['PUT', `/client/v4/zones/zone-ex/dns_records/${cf.records[0].id}`, { name: 'photos.example.net', type: 'A', ttl: 120, content: '203.0.113.8' }],
    ['POST', '/client/v4/zones/zone-ex/dns_records', { name: 'example.net', type: 'MX', ttl: 300, content: 'mx.example.net', priority: 5 }],
  ]);
  assert.ok(cf.received.every((r) => r.headers.authorization === `Bearer ${cf.token}`));
  const recs = await s.op('infra.dns.records', { zone: 'example.net' });
  assert.deepEqual(recs.body.records.map((r: any) => [r.name, r.type, r.value, r.priority]), [['photos', 'A', '203.0.113.8', undefined], ['@', 'MX', 'mx.example.net', 5]]);
});

test('Cloudflare DNS (loopback contract): records are read from every page; ACME TXT values are added and removed one by one', async () => {
  cf.maxPerPage = 1;
  try {
    const infra = s.kernel.services.infra;
    assert.deepEqual(await infra.dnsFor('_acme-challenge.photos.example.net'), { provider: 'cloudflare', zone: 'example.net', name: '_acme-challenge.photos' });
    await infra.setTxt('_acme-challenge.photos.example.net', 'first');
    await infra.setTxt('_acme-challenge.photos.example.net', 'second');
    cf.received.length = 0;
    const recs = await s.op('infra.dns.records', { zone: 'example.net' });
    assert.equal(recs.body.records.length, 4);
    // Four records, one per page, then the empty page that ends the list.
    assert.deepEqual(cf.received.filter((r) => r.path.endsWith('/dns_records')).map((r) => r.query.page ?? '1'), ['1', '2', '3', '4', '5']);
    assert.equal(await infra.removeTxt('_acme-challenge.photos.example.net', 'first'), 1);
    assert.deepEqual(cf.records.filter((r) => r.type === 'TXT').map((r) => r.content), ['second']);
  } finally {
    cf.maxPerPage = 100;
  }
});

test('Cloudflare (loopback contract): a 429 with Retry-After is waited out, and the rate-limit headers reach pulse', async () => {
  cf.failNext({ status: 429, match: /^GET \/client\/v4\/zones$/, headers: { 'retry-after': '1', ratelimit: '"default";r=0;t=1' }, body: { success: false, errors: [{ code: 971, message: 'Please wait and consider throttling your request speed' }], messages: [], result: null } });
  const z = await s.op('infra.dns.zones', { provider: 'cloudflare' });
  assert.equal(z.status, 200, JSON.stringify(z.body));
  const beat = await s.op('pulse.beat', {});
  const m = beat.body.metrics.infra.rateLimits.cloudflare;
  assert.deepEqual([m.limit, m.remaining, m.throttled], [1200, 1150, 1]);
  cf.failNext({ status: 429, match: /^GET \/client\/v4\/zones$/, headers: { 'retry-after': '600' }, body: { success: false, errors: [{ code: 971, message: 'slow down' }], messages: [], result: null } });
  const limited = await s.op('infra.dns.zones', { provider: 'cloudflare' });
  assert.equal(limited.body.error.code, 'INFRA_RATE_LIMITED');
  assert.equal(limited.body.error.details.retryAfter, 600);
});

test('Cloudflare Registrar (loopback contract): check gives price; register halts with it, re-checks, and polls the workflow', async () => {
  cf.prices['fazt-photos.com'] = { registrable: true, cost: '10.44', renewal: '10.44' };
  const c = await s.op('infra.domain.check', { domain: 'fazt-photos.com' });
  assert.deepEqual(c.body, { domain: 'fazt-photos.com', provider: 'cloudflare', available: true, price: 10.44, renewal: 10.44, currency: 'USD', premium: false });
  assert.deepEqual(cf.received.at(-1)!.body, { domains: ['fazt-photos.com'] });
  cf.received.length = 0;
  const haltId = await haltedWith(s, 'infra.domain.register', { domain: 'fazt-photos.com' }, /Register fazt-photos\.com for 1 year at cloudflare for 10\.44 USD; registrations are not refundable/);
  // The registrar is asked before the owner is: the halt carries today's price.
  assert.deepEqual(cf.calls(), [`POST /client/v4/accounts/${cf.accountId}/registrar/domain-check`]);
  const d = await approve(s, haltId);
  assert.equal(d.status, 'approved', JSON.stringify(d));
  assert.deepEqual(d.result, { domain: 'fazt-photos.com', years: 1, price: 10.44, currency: 'USD', status: 'registered', dryRun: false, provider: 'cloudflare' });
  assert.deepEqual(cf.calls(), [
    `POST /client/v4/accounts/${cf.accountId}/registrar/domain-check`,
    `POST /client/v4/accounts/${cf.accountId}/registrar/domain-check`,
    `POST /client/v4/accounts/${cf.accountId}/registrar/registrations`,
    `GET /client/v4/accounts/${cf.accountId}/registrar/registrations/fazt-photos.com/registration-status`,
    `GET /client/v4/accounts/${cf.accountId}/registrar/registrations/fazt-photos.com/registration-status`,
  ]);
  assert.deepEqual(cf.received[2].body, { domain_name: 'fazt-photos.com', auto_renew: false, years: 1 });
  const list = await s.op('infra.domain.list', {});
  assert.deepEqual(list.body.domains.map((x: any) => [x.domain, x.status]), [['fazt-photos.com', 'active']]);
  const got = await s.op('infra.domain.get', { domain: 'fazt-photos.com' });
  assert.equal(got.body.expiresAt, '2027-11-29T00:00:00Z');
});

test('Cloudflare Registrar (loopback contract): a domain it cannot register says why; a price that rose is not paid', async () => {
  cf.prices['taken.com'] = { registrable: false, reason: 'domain_unavailable' };
  const c = await s.op('infra.domain.check', { domain: 'taken.com' });
  assert.deepEqual([c.body.available, c.body.reason], [false, 'the domain is taken or reserved']);
  const r = await s.op('infra.domain.register', { domain: 'taken.com', maxPrice: 20 }, { human: true });
  assert.equal(r.body.error.code, 'BAD_INPUT');
  assert.match(r.body.error.message, /taken\.com cannot be registered at cloudflare: the domain is taken or reserved/);
  // Asked by a model: refused the same way, before any halt is made.
  const model = await s.op('infra.domain.register', { domain: 'taken.com' });
  assert.equal(model.status, 400, JSON.stringify(model.body));
  assert.equal((await s.op('halt.list', {}, { human: true })).body.halts.filter((h: any) => h.op === 'infra.domain.register').length, 0);

  cf.prices['pricey.dev'] = { registrable: true, cost: '12.00' };
  await s.op('infra.domain.check', { domain: 'pricey.dev' });
  const haltId = await haltedWith(s, 'infra.domain.register', { domain: 'pricey.dev' }, /for 12\.00 USD/);
  cf.prices['pricey.dev'] = { registrable: true, cost: '15.00' };
  // A newer check remembers the new price; the approval still pays only what the owner was shown.
  assert.equal((await s.op('infra.domain.check', { domain: 'pricey.dev' })).body.price, 15);
  const d = await approve(s, haltId);
  assert.equal(d.status, 'failed');
  assert.equal(d.error.code, 'CONFLICT');
  assert.match(d.error.message, /now 15\.00 USD, above the approved 12\.00; nothing was bought/);
  assert.equal(cf.calls(/registrations$/).filter((x) => x.startsWith('POST')).length, 1, 'only the earlier registration was posted');

  const years = await s.op('infra.domain.register', { domain: 'pricey.dev', years: 2, maxPrice: 40 }, { human: true });
  assert.match(years.body.error.message, /cloudflare registers for 1 year\(s\) through its API, not 2/);
});

test('Cloudflare (loopback contract): a rejected token is a provider error naming Cloudflare\'s own message', async () => {
  await s.op('infra.providers.set', { provider: 'cloudflare', apiToken: 'bad-token-1234' });
  const r = await s.op('infra.dns.zones', { provider: 'cloudflare' });
  assert.equal(r.body.error.code, 'INFRA_PROVIDER_ERROR');
  assert.deepEqual([r.body.error.details.status, r.body.error.details.providerCode], [403, '10000']);
  assert.match(r.body.error.message, /Authentication error/);
  await s.op('infra.providers.set', { provider: 'cloudflare', apiToken: cf.token });
});
