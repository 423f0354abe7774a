import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { Resolver } from 'node:dns/promises';
import { connect } from 'node:net';
import dnsPacket from 'dns-packet';
import { after, before, describe, it } from 'node:test';
import { startServer, type TestServer } from '../helpers/server.js';

/** Sends one datagram and waits for a reply, or resolves null after `ms` of silence. */
function udpAsk(port: number, msg: Buffer, ms = 300): Promise<Buffer | null> {
  return new Promise((resolve) => {
    const sock = createSocket('udp4');
    const timer = setTimeout(() => (sock.close(), resolve(null)), ms);
    sock.on('message', (m) => (clearTimeout(timer), sock.close(), resolve(m)));
    sock.send(msg, port, '127.0.0.1');
  });
}

/** Writes raw bytes to a TCP connection and collects `frames` length-prefixed replies. */
function tcpExchange(port: number, writes: Buffer[], frames: number): Promise<Buffer[]> {
  return new Promise((resolve, reject) => {
    const sock = connect(port, '127.0.0.1');
    let buf = Buffer.alloc(0);
    const out: Buffer[] = [];
    sock.on('data', (d) => {
      buf = Buffer.concat([buf, d]);
      while (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0)) {
        out.push(buf.subarray(2, 2 + buf.readUInt16BE(0)));
        buf = buf.subarray(2 + buf.readUInt16BE(0));
      }
      if (out.length === frames) (sock.end(), resolve(out));
    });
    sock.on('error', reject);
    sock.on('close', () => resolve(out));
    (async () => {
      for (const w of writes) {
        sock.write(w);
        await new Promise((r) => setImmediate(r));
      }
      if (frames === 0) sock.end();
    })();
  });
}

const query = (name: string, type: dnsPacket.RecordType, id = 7) =>
  dnsPacket.encode({ type: 'query', id, flags: dnsPacket.RECURSION_DESIRED, questions: [{ type, name, class: 'IN' }] });
const rcode = (b: Buffer) => (dnsPacket.decode(b) as unknown as { rcode: string }).rcode;
const framed = (b: Buffer) => Buffer.concat([Buffer.from([b.length >> 8, b.length & 0xff]), b]);

describe('dns server: node:dns resolver, TCP framing, malformed input', () => {
  let s: TestServer;
  let port: number;
  before(async () => {
    s = await startServer({ dnsPort: 0 });
    port = s.kernel.services.dnsServer.listening()!.port;
    const dns = s.kernel.services.dnsServer;
    dns.createZone('fazt.test');
    dns.set('fazt.test', { name: '@', type: 'A', value: '198.51.100.7' });
    dns.set('fazt.test', { name: 'photos', type: 'A', value: '198.51.100.8' });
    dns.add('fazt.test', { name: 'photos', type: 'A', value: '198.51.100.9' });
    dns.set('fazt.test', { name: '@', type: 'MX', value: 'mx.fazt.test', priority: 5 });
    dns.add('fazt.test', { name: '_acme-challenge', type: 'TXT', value: 'token-one' });
    dns.add('fazt.test', { name: '_acme-challenge', type: 'TXT', value: 'token-two' });
  });
  after(() => s.close());

  it("node's own resolver reads A, MX, TXT, SOA and gets ENOTFOUND for unknown names", async () => {
    const r = new Resolver({ timeout: 2000, tries: 1 });
    r.setServers([`127.0.0.1:${port}`]);
    assert.deepEqual((await r.resolve4('photos.fazt.test')).sort(), ['198.51.100.8', '198.51.100.9']);
    // Node 24 adds `type: 'MX'` to each answer; the fields that matter are compared.
    assert.deepEqual((await r.resolveMx('fazt.test')).map(({ exchange, priority }) => ({ exchange, priority })), [{ exchange: 'mx.fazt.test', priority: 5 }]);
    assert.deepEqual((await r.resolveTxt('_acme-challenge.fazt.test')).map((x) => x.join('')).sort(), ['token-one', 'token-two']);
    const soa = await r.resolveSoa('fazt.test');
    assert.equal(soa.nsname, 'ns1.fazt.test');
    assert.equal(soa.serial, s.kernel.services.dnsServer.zones()[0].serial);
    await assert.rejects(r.resolve4('missing.fazt.test'), { code: 'ENOTFOUND' });
    await assert.rejects(r.resolve4('example.com'), { code: 'EREFUSED' });
  });

  it('removing one ACME token leaves the other', async () => {
    assert.equal(s.kernel.services.dnsServer.remove('fazt.test', { name: '_acme-challenge', type: 'TXT', value: 'token-one' }), 1);
    const r = new Resolver({ timeout: 2000, tries: 1 });
    r.setServers([`127.0.0.1:${port}`]);
    assert.deepEqual(await r.resolveTxt('_acme-challenge.fazt.test'), [['token-two']]);
  });

  it('TCP: two queries in one write, and one query split byte by byte, are each answered in order', async () => {
    const both = Buffer.concat([framed(query('fazt.test', 'A', 1)), framed(query('photos.fazt.test', 'A', 2))]);
    const replies = (await tcpExchange(port, [both], 2)).map((b) => dnsPacket.decode(b));
    assert.deepEqual(replies.map((r) => r.id), [1, 2]);
    assert.equal((replies[0].answers![0] as { data: string }).data, '198.51.100.7');
    const split = framed(query('fazt.test', 'MX', 3));
    const [one] = await tcpExchange(port, [...split].map((b) => Buffer.from([b])), 1);
    assert.equal(dnsPacket.decode(one).id, 3);
    assert.deepEqual((dnsPacket.decode(one).answers![0] as { data: unknown }).data, { preference: 5, exchange: 'mx.fazt.test' });
  });

  it('drops random datagrams and TCP frames without crashing, and keeps answering', async () => {
    const stats = s.kernel.services.dnsServer.stats;
    const malformedBefore = stats.malformed;
    let answered = 0;
    for (let i = 0; i < 300; i++) {
      const junk = randomBytes(1 + Math.floor(Math.random() * 300));
      if (i % 3 === 0 && junk.length > 12) junk.writeUInt16BE(1, 4); // one question, so the decoder reads further
      if (await udpAsk(port, junk, 20)) answered++;
    }
    // A response packet (QR set), sent to us, is never answered (no reflection loops).
    const response = dnsPacket.encode({ type: 'response', id: 9, questions: [{ type: 'A', name: 'fazt.test', class: 'IN' }] });
    assert.equal(await udpAsk(port, response, 200), null);
    for (let i = 0; i < 50; i++) await tcpExchange(port, [framed(randomBytes(1 + Math.floor(Math.random() * 200)))], 1);
    // A frame longer than the bytes that follow waits; closing it must not hurt the server.
    await tcpExchange(port, [Buffer.from([0xff, 0xff, 1, 2, 3])], 0).catch(() => []);
    const ok = await udpAsk(port, query('fazt.test', 'A', 77), 2000);
    assert.ok(ok, 'still answers after the junk');
    assert.equal(dnsPacket.decode(ok!).id, 77);
    // Datagrams are handled in order, so by now every junk one was seen. A few random
    // packets happen to be valid queries; those get answers, the rest are dropped and counted.
    assert.ok(stats.malformed - malformedBefore > 200, `malformed ${stats.malformed - malformedBefore}, answered ${answered}`);
    assert.equal(stats.errors, 0);
  });

  it('pulse reports queries per second, malformed packets and errors since the last beat', async () => {
    const first = await s.op('pulse.beat');
    assert.equal(first.status, 200, JSON.stringify(first.body));
    const m1 = first.body.metrics.dnsServer;
    assert.equal(m1.listening, `127.0.0.1:${port}`);
    assert.equal(m1.zones, 1);
    assert.ok(m1.queries > 0 && m1.queriesPerSecond > 0, JSON.stringify(m1));
    assert.ok(m1.malformed > 200);
    assert.equal(m1.errors, 0);
    for (let i = 0; i < 5; i++) await udpAsk(port, query('fazt.test', 'A', 100 + i), 2000);
    await udpAsk(port, Buffer.from([1, 2, 3]), 50);
    const m2 = (await s.op('pulse.beat')).body.metrics.dnsServer;
    assert.equal(m2.queries, 5);
    assert.equal(m2.malformed, 1);
    assert.ok(m2.rcodesTotal.NOERROR >= 5);
  });

  it('answers opcodes other than QUERY with NOTIMP and packets with two questions with FORMERR', async () => {
    const notify = dnsPacket.encode({ type: 'query', id: 5, flags: 4 << 11, questions: [{ type: 'SOA', name: 'fazt.test', class: 'IN' }] });
    assert.equal(rcode((await udpAsk(port, notify, 2000))!), 'NOTIMP');
    const two = dnsPacket.encode({ type: 'query', id: 6, questions: [{ type: 'A', name: 'fazt.test', class: 'IN' }, { type: 'A', name: 'photos.fazt.test', class: 'IN' }] });
    assert.equal(rcode((await udpAsk(port, two, 2000))!), 'FORMERR');
    assert.equal(rcode((await udpAsk(port, query('fazt.test', 'AXFR', 8), 2000))!), 'REFUSED');
  });
});
