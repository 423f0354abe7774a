import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startServer, type TestServer } from '../helpers/server.js';
import { dig } from './dig.js';

describe('dns server: real dig against a hosted zone', () => {
  let s: TestServer;
  let port: number;
  before(async () => {
    s = await startServer({ dnsPort: 0 });
    port = s.kernel.services.dnsServer.listening()!.port;
    const set = async (input: Record<string, unknown>, op = 'dns.records.set') => {
      const r = await s.op(op, { zone: 'example.test', ...input });
      assert.equal(r.status, 200, JSON.stringify(r.body));
    };
    assert.equal((await s.op('dns.zones.create', { zone: 'example.test' })).status, 200);
    await set({ name: '@', type: 'A', value: '192.0.2.10' });
    await set({ name: '@', type: 'AAAA', value: '2001:db8::10' });
    await set({ name: 'mail', type: 'A', value: '192.0.2.25' });
    await set({ name: '@', type: 'MX', value: '10 mail.example.test' });
    await set({ name: '@', type: 'TXT', value: 'v=spf1 mx -all' });
    await set({ name: 'www', type: 'CNAME', value: 'example.test' });
    await set({ name: 'alias', type: 'CNAME', value: 'www.example.test' });
    await set({ name: 'dangling', type: 'CNAME', value: 'missing.example.test' });
    await set({ name: 'outside', type: 'CNAME', value: 'target.example.org' });
    await set({ name: 'a.deep', type: 'A', value: '192.0.2.30' });
    await set({ name: '@', type: 'CAA', value: '0 issue "letsencrypt.org"' });
    await set({ name: 'long', type: 'TXT', value: 'k'.repeat(600) });
    for (let i = 0; i < 20; i++) await set({ name: 'big', type: 'TXT', value: `token-${i}-${'z'.repeat(80)}` }, 'dns.records.add');
  });
  after(() => s.close());

  it('answers A authoritatively (aa), whatever the case of the name', async () => {
    const r = await dig(port, ['ExAmPle.TEST', 'A']);
    assert.equal(r.status, 'NOERROR');
    assert.ok(r.flags.includes('aa'), r.raw);
    assert.ok(!r.flags.includes('ra'));
    assert.deepEqual(r.answer, ['ExAmPle.TEST. 300 IN A 192.0.2.10']);
  });

  it('answers AAAA, MX with the mail host address as additional data, TXT and CAA', async () => {
    assert.deepEqual((await dig(port, ['example.test', 'AAAA'])).answer, ['example.test. 300 IN AAAA 2001:db8::10']);
    const mx = await dig(port, ['example.test', 'MX']);
    assert.ok(mx.flags.includes('aa'));
    assert.deepEqual(mx.answer, ['example.test. 300 IN MX 10 mail.example.test.']);
    assert.deepEqual(mx.additional, ['mail.example.test. 300 IN A 192.0.2.25']);
    const txt = await dig(port, ['example.test', 'TXT']);
    assert.ok(txt.flags.includes('aa'));
    assert.deepEqual(txt.answer, ['example.test. 300 IN TXT "v=spf1 mx -all"']);
    assert.deepEqual((await dig(port, ['example.test', 'CAA'])).answer, ['example.test. 300 IN CAA 0 issue "letsencrypt.org"']);
  });

  it('answers SOA with the zone serial, which moves up on every change', async () => {
    const before = await dig(port, ['example.test', 'SOA']);
    assert.ok(before.flags.includes('aa'));
    assert.equal(before.answer.length, 1);
    const serial = Number(before.answer[0].split(' ')[6]);
    assert.match(before.answer[0], /^example\.test\. 3600 IN SOA ns1\.example\.test\. hostmaster\.example\.test\. \d+ 7200 3600 1209600 300$/);
    assert.equal(serial, s.kernel.services.dnsServer.zones().find((z) => z.name === 'example.test')!.serial);
    await s.op('dns.records.set', { zone: 'example.test', name: 'serial-check', type: 'A', value: '192.0.2.99' });
    const afterSet = Number((await dig(port, ['example.test', 'SOA'])).answer[0].split(' ')[6]);
    assert.ok(afterSet > serial, `${afterSet} > ${serial}`);
    await s.op('dns.records.remove', { zone: 'example.test', name: 'serial-check', type: 'A', value: '192.0.2.99' });
    assert.ok(Number((await dig(port, ['example.test', 'SOA'])).answer[0].split(' ')[6]) > afterSet);
  });

  it('NXDOMAIN with the SOA in authority for a name the zone does not have', async () => {
    const r = await dig(port, ['nope.example.test', 'A']);
    assert.equal(r.status, 'NXDOMAIN');
    assert.ok(r.flags.includes('aa'));
    assert.equal(r.answer.length, 0);
    assert.equal(r.authority.length, 1);
    // The negative TTL is the SOA minimum (RFC 2308).
    assert.match(r.authority[0], /^example\.test\. 300 IN SOA ns1\.example\.test\. /);
  });

  it('NODATA (NOERROR, empty answer, SOA) for a known name without that type, and for a name with records only below it', async () => {
    for (const [name, type] of [['mail.example.test', 'MX'], ['deep.example.test', 'A']]) {
      const r = await dig(port, [name, type]);
      assert.equal(r.status, 'NOERROR', name);
      assert.ok(r.flags.includes('aa'));
      assert.equal(r.answer.length, 0);
      assert.match(r.authority[0], /IN SOA/);
    }
  });

  it('REFUSED, not authoritative, for a zone this server does not host', async () => {
    const r = await dig(port, ['example.org', 'A']);
    assert.equal(r.status, 'REFUSED');
    assert.ok(!r.flags.includes('aa'));
    assert.equal(r.answer.length, 0);
  });

  it('chases CNAMEs inside the zone, and stops at targets outside it', async () => {
    const chain = await dig(port, ['alias.example.test', 'A']);
    assert.deepEqual(chain.answer, [
      'alias.example.test. 300 IN CNAME www.example.test.',
      'www.example.test. 300 IN CNAME example.test.',
      'example.test. 300 IN A 192.0.2.10',
    ]);
    const dangling = await dig(port, ['dangling.example.test', 'A']);
    assert.equal(dangling.status, 'NXDOMAIN');
    assert.deepEqual(dangling.answer, ['dangling.example.test. 300 IN CNAME missing.example.test.']);
    const outside = await dig(port, ['outside.example.test', 'A']);
    assert.equal(outside.status, 'NOERROR');
    assert.deepEqual(outside.answer, ['outside.example.test. 300 IN CNAME target.example.org.']);
  });

  it('splits a long TXT value into 255-byte strings', async () => {
    const r = await dig(port, ['long.example.test', 'TXT']);
    const strings = [...r.answer[0].matchAll(/"([^"]*)"/g)].map((m) => m[1]);
    assert.deepEqual(strings.map((x) => x.length), [255, 255, 90]);
    assert.equal(strings.join(''), 'k'.repeat(600));
  });

  it('a big answer over UDP comes back truncated (tc) and dig gets it whole over TCP', async () => {
    const udpOnly = await dig(port, ['big.example.test', 'TXT', '+ignore', '+noedns']);
    assert.ok(udpOnly.flags.includes('tc'), udpOnly.raw);
    assert.equal(udpOnly.answer.length, 0);
    const r = await dig(port, ['big.example.test', 'TXT', '+noedns']);
    assert.ok(r.truncatedRetry, r.raw);
    assert.equal(r.transport, 'TCP');
    assert.ok(r.flags.includes('aa'));
    assert.equal(r.answer.length, 20);
    // With EDNS the client offers a bigger buffer: 20 × ~100 bytes fit in 4096 without TCP.
    const edns = await dig(port, ['big.example.test', 'TXT', '+bufsize=4096']);
    assert.equal(edns.transport, 'UDP');
    assert.equal(edns.answer.length, 20);
  });

  it('ANY over UDP gets one RRset (RFC 8482, no amplification); over TCP, every RRset of the name', async () => {
    const udp = await dig(port, ['example.test', 'ANY', '+notcp', '+ignore']);
    assert.equal(udp.status, 'NOERROR');
    assert.equal(udp.transport, 'UDP');
    assert.equal(new Set(udp.answer.map((l) => l.split(' ')[3])).size, 1, udp.raw);
    const tcp = await dig(port, ['example.test', 'ANY', '+tcp']);
    assert.deepEqual(new Set(tcp.answer.map((l) => l.split(' ')[3])), new Set(['A', 'AAAA', 'CAA', 'MX', 'NS', 'SOA', 'TXT']), tcp.raw);
  });

  it('answers over TCP when asked (+tcp)', async () => {
    const r = await dig(port, ['+tcp', 'example.test', 'A', 'mail.example.test', 'A']);
    assert.equal(r.transport, 'TCP');
    assert.match(r.raw, /example\.test\.\s+300\s+IN\s+A\s+192\.0\.2\.10/);
    assert.deepEqual(r.answer, ['mail.example.test. 300 IN A 192.0.2.25']);
  });

  it('counts queries for pulse', async () => {
    const stats = s.kernel.services.dnsServer.stats;
    const n = stats.queries;
    await dig(port, ['example.test', 'A']);
    assert.equal(stats.queries, n + 1);
    assert.ok((stats.rcodes.REFUSED ?? 0) >= 1 && (stats.rcodes.NXDOMAIN ?? 0) >= 1);
  });
});
