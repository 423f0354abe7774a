import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, type TestServer } from '../helpers/server.js';
import { porkbunFake, type PorkbunFake } from './contract/porkbun.js';
import { approve, haltedWith } from './helpers.js';

let s: TestServer;
let pb: PorkbunFake;

before(async () => {
  pb = await porkbunFake();
  s = await startServer();
});

after(async () => {
  await s.close();
  await pb.close();
});

test('Porkbun: the key pair is required, sealed and never echoed', async () => {
  const missing = await s.op('infra.providers.set', { provider: 'porkbun', apiToken: pb.apiKey, baseUrl: pb.base });
  assert.equal(missing.body.error.code, 'BAD_INPUT');
  assert.match(missing.body.error.message, /secret API key/);
  const wrongField = await s.op('infra.providers.set', { provider: 'hetzner', apiToken: 'x', apiSecret: 'y' });
  assert.match(wrongField.body.error.message, /takes no apiSecret/);
  const r = await s.op('infra.providers.set', { provider: 'porkbun', apiToken: pb.apiKey, apiSecret: pb.secretKey, baseUrl: pb.base });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.ok(!JSON.stringify(r.body).includes(pb.secretKey) && !JSON.stringify(r.body).includes(pb.apiKey));
});

test('Porkbun (loopback contract): check gives availability and price; unconfigured registrars are named', async () => {
  pb.prices['shutter-club.com'] = { avail: true, price: '11.08', renewal: '11.08' };
  pb.received.length = 0;
  const c = await s.op('infra.domain.check', { domain: 'Shutter-Club.com' });
  assert.deepEqual(c.body, { domain: 'shutter-club.com', provider: 'porkbun', available: true, price: 11.08, renewal: 11.08, currency: 'USD', premium: false });
  assert.deepEqual(pb.received.map((r) => [r.method, r.path, r.body]), [['POST', '/api/json/v3/domain/checkDomain/shutter-club.com', { secretapikey: pb.secretKey, apikey: pb.apiKey }]]);
  const cf = await s.op('infra.domain.check', { domain: 'shutter-club.com', provider: 'cloudflare' });
  assert.equal(cf.body.error.code, 'INFRA_NOT_CONFIGURED');
  const bad = await s.op('infra.domain.check', { domain: 'not a domain' });
  assert.equal(bad.body.error.code, 'BAD_INPUT');
});

test('Porkbun (loopback contract): dryRun runs the checks without buying; a real register halts with the price and pays it in cents', async () => {
  const dry = await s.op('infra.domain.register', { domain: 'shutter-club.com', dryRun: true });
  assert.equal(dry.status, 200, `a dry run spends nothing, so it does not halt: ${JSON.stringify(dry.body)}`);
  assert.deepEqual([dry.body.dryRun, dry.body.price, dry.body.status], [true, 11.08, 'dry-run passed']);
  assert.deepEqual(pb.received.at(-1)!.body, { secretapikey: pb.secretKey, apikey: pb.apiKey, cost: 1108, agreeToTerms: 'yes', dryRun: true });
  assert.equal(pb.owned.length, 0);

  pb.received.length = 0;
  const haltId = await haltedWith(s, 'infra.domain.register', { domain: 'shutter-club.com' }, /Register shutter-club\.com for 1 year at porkbun for 11\.08 USD/);
  const d = await approve(s, haltId);
  assert.equal(d.status, 'approved', JSON.stringify(d));
  assert.deepEqual(d.result, { domain: 'shutter-club.com', years: 1, price: 11.08, currency: 'USD', status: 'registered', orderId: '100', dryRun: false, provider: 'porkbun' });
  // Checked before the owner was asked, and again just before buying.
  assert.deepEqual(pb.received.map((r) => r.path), ['/api/json/v3/domain/checkDomain/shutter-club.com', '/api/json/v3/domain/checkDomain/shutter-club.com', '/api/json/v3/domain/create/shutter-club.com']);
  assert.deepEqual(pb.received[2].body, { secretapikey: pb.secretKey, apikey: pb.apiKey, cost: 1108, agreeToTerms: 'yes' });
  const list = await s.op('infra.domain.list', { provider: 'porkbun' });
  assert.deepEqual(list.body.domains.map((x: any) => [x.domain, x.status, x.autoRenew]), [['shutter-club.com', 'active', false]]);
});

test('Porkbun (loopback contract): insufficient funds is named, and nothing is bought', async () => {
  pb.prices['very-costly.io'] = { avail: true, price: '79.00' };
  const r = await s.op('infra.domain.register', { domain: 'very-costly.io', maxPrice: 80 }, { human: true });
  assert.equal(r.body.error.code, 'INFRA_INSUFFICIENT_FUNDS');
  assert.match(r.body.error.message, /Insufficient funds/);
  assert.equal(pb.owned.length, 1);
  const noQuote = await s.op('infra.domain.register', { domain: 'never-checked.org' }, { human: true });
  assert.match(noQuote.body.error.message, /Check the price first/);
  const unavailable = await s.op('infra.domain.register', { domain: 'gone.net', maxPrice: 20 }, { human: true });
  assert.match(unavailable.body.error.message, /gone\.net cannot be registered at porkbun/);
});
