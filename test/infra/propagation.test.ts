import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, type TestServer } from '../helpers/server.js';
import { closedPort } from '../helpers/loopback-receiver.js';
import { loopbackResolver, type LoopbackResolver } from './loopback-resolver.js';

let s: TestServer;
let fresh: LoopbackResolver;
let stale: LoopbackResolver;

before(async () => {
  s = await startServer();
  fresh = await loopbackResolver();
  stale = await loopbackResolver();
  fresh.answers.set('photos.example.com/A', [{ type: 'A', data: '203.0.113.10' }]);
  stale.answers.set('photos.example.com/A', [{ type: 'A', data: '198.51.100.1' }]);
  fresh.answers.set('example.com/MX', [{ type: 'MX', data: { preference: 10, exchange: 'mail.example.com' } }]);
  fresh.answers.set('_acme-challenge.example.com/TXT', [{ type: 'TXT', data: ['abc', 'def'] }]);
});

after(async () => {
  await s.close();
  await fresh.close();
  await stale.close();
});

test('check-propagation asks each resolver and reports which agree', async () => {
  const r = await s.op('infra.dns.check-propagation', { name: 'photos.example.com', type: 'A', expected: '203.0.113.10', resolvers: [fresh.address, stale.address] });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.deepEqual([r.body.agreeing, r.body.total, r.body.propagated], [1, 2, false]);
  assert.deepEqual(r.body.resolvers.map((x: any) => [x.resolver, x.answers, x.agrees]), [[fresh.address, ['203.0.113.10'], true], [stale.address, ['198.51.100.1'], false]]);
  stale.answers.set('photos.example.com/A', [{ type: 'A', data: '203.0.113.10' }]);
  const again = await s.op('infra.dns.check-propagation', { name: 'photos.example.com', expected: '203.0.113.10', resolvers: [fresh.address, stale.address] });
  assert.equal(again.body.propagated, true);
});

test('check-propagation compares MX with its priority and TXT as joined text; a dead resolver is reported, not fatal', async () => {
  const mx = await s.op('infra.dns.check-propagation', { name: 'example.com', type: 'MX', expected: '10 mail.example.com.', resolvers: [fresh.address] });
  assert.equal(mx.body.propagated, true, JSON.stringify(mx.body));
  const txt = await s.op('infra.dns.check-propagation', { name: '_acme-challenge.example.com', type: 'TXT', expected: 'abcdef', resolvers: [fresh.address] });
  assert.equal(txt.body.propagated, true, JSON.stringify(txt.body));
  const nx = await s.op('infra.dns.check-propagation', { name: 'nothing.example.com', expected: '203.0.113.10', resolvers: [fresh.address] });
  assert.deepEqual([nx.body.resolvers[0].agrees, nx.body.resolvers[0].error], [false, 'ENOTFOUND']);
  const dead = `127.0.0.1:${await closedPort()}`;
  const d = await s.op('infra.dns.check-propagation', { name: 'photos.example.com', expected: '203.0.113.10', resolvers: [fresh.address, dead] });
  assert.equal(d.body.agreeing, 1);
  assert.ok(d.body.resolvers[1].error, JSON.stringify(d.body));
});

test('check-propagation uses the configured resolver list, and refuses what it cannot ask', async () => {
  s.kernel.settings.set('infra.dns.resolvers', [fresh.address]);
  const r = await s.op('infra.dns.check-propagation', { name: 'photos.example.com', expected: '203.0.113.10' });
  assert.deepEqual(r.body.resolvers.map((x: any) => x.resolver), [fresh.address]);
  const bad = await s.op('infra.dns.check-propagation', { name: 'photos.example.com', type: 'SRV', expected: 'x', resolvers: [fresh.address] });
  assert.equal(bad.body.error.code, 'BAD_INPUT');
  const notIp = await s.op('infra.dns.check-propagation', { name: 'photos.example.com', expected: 'x', resolvers: ['dns.google'] });
  assert.equal(notIp.body.error.code, 'BAD_INPUT');
});
