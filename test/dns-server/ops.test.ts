import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { runCli, startServer, type TestServer } from '../helpers/server.js';

describe('dns ops: zones and records over HTTP and the CLI, and bad input', () => {
  let s: TestServer;
  before(async () => {
    s = await startServer();
  });
  after(() => s.close());

  it('the server does not listen for DNS unless --dns-port is set', async () => {
    const r = await s.op('dns.zones.list');
    assert.equal(r.status, 200);
    assert.deepEqual(r.body, { zones: [], listening: null });
  });

  it('creates a zone with SOA and NS, and refuses it twice with ZONE_EXISTS', async () => {
    const r = await s.op('dns.zones.create', { zone: 'Shop.Example.' });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.zone, 'shop.example');
    assert.deepEqual(r.body.records.map((x: { type: string; name: string; value: string }) => `${x.name} ${x.type} ${x.value.split(' ')[0]}`), ['@ NS ns1.shop.example', '@ SOA ns1.shop.example']);
    const again = await s.op('dns.zones.create', { zone: 'shop.example' });
    assert.equal(again.status, 409);
    assert.equal(again.body.error.code, 'ZONE_EXISTS');
    const list = await s.op('dns.zones.list');
    assert.equal(list.body.zones[0].name, 'shop.example');
    assert.equal(list.body.zones[0].records, 2);
  });

  it('set replaces the set, add keeps it, remove by value takes one', async () => {
    const z = 'shop.example';
    await s.op('dns.records.set', { zone: z, name: 'www', type: 'A', value: '192.0.2.1' });
    const second = await s.op('dns.records.set', { zone: z, name: 'www', type: 'a', value: '192.0.2.2', ttl: 60 });
    assert.equal(second.status, 200);
    assert.deepEqual({ ...second.body, id: undefined }, { id: undefined, zone: z, name: 'www', type: 'A', value: '192.0.2.2', ttl: 60 });
    await s.op('dns.records.add', { zone: z, name: 'www', type: 'A', value: '192.0.2.3', ttl: 60 });
    const dup = await s.op('dns.records.add', { zone: z, name: 'www.shop.example.', type: 'A', value: '192.0.2.3', ttl: 60 });
    assert.equal(dup.status, 200);
    const www = () => s.op('dns.records.list', { zone: z }).then((r) => r.body.records.filter((x: { name: string }) => x.name === 'www').map((x: { value: string }) => x.value));
    assert.deepEqual(await www(), ['192.0.2.2', '192.0.2.3']);
    const rm = await s.op('dns.records.remove', { zone: z, name: 'www', type: 'A', value: '192.0.2.2' });
    assert.deepEqual(rm.body, { removed: 1 });
    assert.deepEqual(await www(), ['192.0.2.3']);
    const mx = await s.op('dns.records.set', { zone: z, name: '@', type: 'MX', value: 'mail.shop.example', priority: 20 });
    assert.equal(mx.body.priority, 20);
    assert.equal(mx.body.value, 'mail.shop.example');
  });

  it('refuses values of the wrong shape for their type, naming what is valid, and keeps what was there', async () => {
    const z = 'shop.example';
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ name: 'bad', type: 'A', value: '300.1.1.1' }, /IPv4/],
      [{ name: 'bad', type: 'A', value: '2001:db8::1' }, /IPv4/],
      [{ name: 'bad', type: 'AAAA', value: '192.0.2.1' }, /IPv6/],
      [{ name: 'bad', type: 'MX', value: 'mail.shop.example' }, /priority/],
      [{ name: 'bad', type: 'MX', value: 'x 10 y' }, /priority/],
      [{ name: 'bad', type: 'CAA', value: 'issue letsencrypt.org' }, /0 issue "letsencrypt.org"/],
      [{ name: 'bad', type: 'CNAME', value: 'not a host' }, /not a valid DNS name/],
      [{ name: 'bad', type: 'SRV', value: 'x' }, /Valid types: A, AAAA, CNAME, MX, TXT, NS, CAA, SOA/],
      [{ name: 'bad', type: 'A', value: '192.0.2.1', priority: 3 }, /only MX/],
      [{ name: 'bad name', type: 'A', value: '192.0.2.1' }, /not a valid DNS name/],
      [{ name: 'bad', type: 'TXT', value: 'x'.repeat(4001) }, /4000|4096/],
      [{ name: 'bad', type: 'SOA', value: 'a b c' }, /mname rname/],
      [{ name: 'bad', type: 'A', value: '192.0.2.1', ttl: -5 }, /ttl/i],
    ];
    for (const [input, msg] of cases) {
      const r = await s.op('dns.records.set', { zone: z, ...input });
      assert.equal(r.status, 400, `${JSON.stringify(input)} → ${JSON.stringify(r.body)}`);
      assert.match(`${r.body.error.message} ${JSON.stringify(r.body.error.details ?? {})}`, msg, JSON.stringify(input));
    }
    const unknown = await s.op('dns.records.set', { zone: z, name: 'x', type: 'A', value: '192.0.2.1', proxied: true });
    assert.equal(unknown.status, 400);
    assert.match(unknown.body.error.message, /proxied/);
    const noZone = await s.op('dns.records.set', { zone: 'other.example', name: 'x', type: 'A', value: '192.0.2.1' });
    assert.equal(noZone.status, 404);
    assert.match(noZone.body.error.message, /Hosted zones: shop\.example/);
    const listed = await s.op('dns.records.list', { zone: z });
    assert.ok(!listed.body.records.some((r: { name: string }) => r.name === 'bad' || r.name === 'x'));
  });

  it('a CNAME never shares its name with other records', async () => {
    const z = 'shop.example';
    await s.op('dns.records.set', { zone: z, name: 'blog', type: 'CNAME', value: 'shop.example' });
    const a = await s.op('dns.records.set', { zone: z, name: 'blog', type: 'A', value: '192.0.2.9' });
    assert.equal(a.status, 409);
    assert.match(a.body.error.message, /is a CNAME/);
    const second = await s.op('dns.records.add', { zone: z, name: 'blog', type: 'CNAME', value: 'other.example' });
    assert.equal(second.status, 409);
    assert.match(second.body.error.message, /at most one: use set/);
    assert.equal((await s.op('dns.records.set', { zone: z, name: 'blog', type: 'CNAME', value: 'other.example' })).body.value, 'other.example');
    const c = await s.op('dns.records.set', { zone: z, name: '@', type: 'CNAME', value: 'elsewhere.example' });
    assert.equal(c.status, 409);
    assert.match(c.body.error.message, /cannot share its name/);
  });

  it('the SOA and the last apex NS cannot be removed', async () => {
    const z = 'shop.example';
    const soa = await s.op('dns.records.remove', { zone: z, name: '@', type: 'SOA' }, { human: true });
    assert.equal(soa.status, 400);
    const ns = await s.op('dns.records.remove', { zone: z, name: '@', type: 'NS', value: 'ns1.shop.example' });
    assert.equal(ns.status, 409);
    assert.equal((await s.op('dns.records.list', { zone: z })).body.records.filter((r: { type: string }) => r.type === 'NS').length, 1);
  });

  it('removing a whole set without naming a value, and deleting a zone, wait for a human', async () => {
    const z = 'shop.example';
    const halted = await s.op('dns.records.remove', { zone: z, name: 'www', type: 'A' });
    assert.equal(halted.status, 202);
    assert.equal(halted.body.halted, true);
    assert.equal((await s.op('dns.records.list', { zone: z })).body.records.filter((r: { name: string }) => r.name === 'www').length, 1);
    const del = await s.op('dns.zones.delete', { zone: z });
    assert.equal(del.status, 202);
    assert.ok(s.kernel.services.dnsServer.zones().length === 1);
    const human = await s.op('dns.zones.delete', { zone: z }, { human: true });
    assert.deepEqual(human.body, { deleted: true, zone: z });
    assert.equal(s.kernel.services.dnsServer.zones().length, 0);
    assert.equal((await s.op('dns.records.list', { zone: z })).status, 404);
  });

  it('CLI: fazt dns zones create / records set / records list with --json, --help, and a clear error', async () => {
    const opts = { dataDir: s.dataDir };
    const create = await runCli(['dns', 'zones', 'create', 'cli.example'], opts);
    assert.equal(create.code, 0, create.stderr);
    const set = await runCli(['dns', 'records', 'set', 'cli.example', 'www', 'A', '203.0.113.5', '--ttl', '120'], opts);
    assert.equal(set.code, 0, set.stderr);
    const list = await runCli(['dns', 'records', 'list', 'cli.example', '--json'], opts);
    assert.equal(list.code, 0, list.stderr);
    const body = JSON.parse(list.stdout);
    assert.ok(body.records.some((r: { name: string; value: string; ttl: number }) => r.name === 'www' && r.value === '203.0.113.5' && r.ttl === 120));
    const help = await runCli(['dns', 'records', 'set', '--help'], opts);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /--priority/);
    const bad = await runCli(['dns', 'records', 'set', 'cli.example', 'www', 'A', 'not-an-ip'], opts);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /IPv4/);
    const unknownFlag = await runCli(['dns', 'records', 'set', 'cli.example', 'www', 'A', '203.0.113.5', '--proxied'], opts);
    assert.notEqual(unknownFlag.code, 0);
    assert.match(unknownFlag.stderr, /proxied/);
  });
});
