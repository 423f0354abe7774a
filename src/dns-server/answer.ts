import dnsPacket, { type Answer, type Packet } from 'dns-packet';
import { absoluteName } from './names.js';
import type { BuiltinRecordType } from './types.js';
import { negativeSoa, toAnswer } from './wire-records.js';
import type { IndexedRecord, IndexedZone, ZoneIndex } from './zone-index.js';

export const RCODE = { NOERROR: 0, FORMERR: 1, SERVFAIL: 2, NXDOMAIN: 3, NOTIMP: 4, REFUSED: 5 } as const;
/** Opcode and RD are echoed from the query (RFC 1035 §4.1.1). */
const ECHO_BITS = 0x7800 | dnsPacket.RECURSION_DESIRED;
/** Classic DNS over UDP; EDNS lets a client ask for more, which we cap here. */
const UDP_CLASSIC = 512;
const UDP_MAX = 4096;
/** What we advertise in our own OPT record (the DNS Flag Day 2020 size). */
const OUR_UDP_SIZE = 1232;
const MAX_CNAME_HOPS = 8;

export interface Answered {
  packet: Packet;
  rcode: number;
  /** Largest UDP reply this client accepts. */
  udpLimit: number;
}

/** Decodes a query; undefined for anything that is not a well-formed query (dropped, never answered). */
export function decodeQuery(buf: Buffer): Packet | undefined {
  try {
    const p = dnsPacket.decode(buf);
    return p.type === 'query' ? p : undefined;
  } catch {
    return undefined;
  }
}

/** The authoritative answer to one query from the zones in `index`, as sent over `transport`. */
export function answer(query: Packet, index: ZoneIndex, transport: 'udp' | 'tcp' = 'tcp'): Answered {
  const opt = query.additionals?.find((a) => a.type === 'OPT') as { udpPayloadSize?: number } | undefined;
  const udpLimit = opt ? Math.min(Math.max(opt.udpPayloadSize ?? UDP_CLASSIC, UDP_CLASSIC), UDP_MAX) : UDP_CLASSIC;
  const res: Packet = {
    id: query.id,
    type: 'response',
    flags: (query.flags ?? 0) & ECHO_BITS,
    questions: query.questions ?? [],
    answers: [],
    authorities: [],
    additionals: opt ? [{ name: '.', type: 'OPT', udpPayloadSize: OUR_UDP_SIZE, extendedRcode: 0, ednsVersion: 0, flags: 0, flag_do: false, options: [] }] : [],
  };
  const done = (rcode: number, aa: boolean): Answered => {
    res.flags = (res.flags ?? 0) | rcode | (aa ? dnsPacket.AUTHORITATIVE_ANSWER : 0);
    return { packet: res, rcode, udpLimit };
  };

  if (((query.flags ?? 0) >> 11) & 0xf) return done(RCODE.NOTIMP, false);
  if (res.questions!.length !== 1) return done(RCODE.FORMERR, false);
  const q = res.questions![0];
  const qclass = q.class ?? 'IN';
  const qtype = q.type as string;
  if (qclass !== 'IN' && qclass !== 'ANY') return done(RCODE.REFUSED, false);
  // Zone transfers are not offered: the zones are served by this server alone.
  if (qtype === 'AXFR' || qtype === 'IXFR') return done(RCODE.REFUSED, false);
  const qname = q.name.toLowerCase().replace(/\.$/, '');
  const zone = index.zoneFor(qname);
  if (!zone) return done(RCODE.REFUSED, false);
  // Over UDP, ANY gets one RRset (RFC 8482): a spoofed ANY must not turn this server into an amplifier.
  return resolveIn(zone, q.name, qname, qtype, res, done, transport === 'udp');
}

function resolveIn(zone: IndexedZone, asked: string, qname: string, qtype: string, res: Packet, done: (rcode: number, aa: boolean) => Answered, minimalAny: boolean): Answered {
  let owner = asked;
  let name = qname;
  for (let hop = 0; hop <= MAX_CNAME_HOPS; hop++) {
    const rel = name === zone.name ? '@' : name.slice(0, -(zone.name.length + 1));
    const cut = delegation(zone, rel);
    if (cut) {
      if (res.answers!.length) return done(RCODE.NOERROR, true);
      // Below a delegation we are not authoritative: refer the client to the child's servers.
      const ns = zone.owners.get(cut)!.get('NS')!;
      res.authorities!.push(...ns.map((r) => toAnswer(absoluteName(cut, zone.name), r, zone)));
      addGlue(zone, ns, res);
      return done(RCODE.NOERROR, false);
    }
    const byType = zone.owners.get(rel);
    if (!byType) {
      res.authorities!.push(negativeSoa(zone));
      return done(zone.nonTerminals.has(rel) ? RCODE.NOERROR : RCODE.NXDOMAIN, true);
    }
    if (qtype === 'ANY') {
      const sets = minimalAny ? [...byType.values()].slice(0, 1) : [...byType.values()];
      for (const list of sets) res.answers!.push(...list.map((r) => toAnswer(owner, r, zone)));
      return done(RCODE.NOERROR, true);
    }
    const exact = byType.get(qtype as BuiltinRecordType);
    if (exact) {
      res.answers!.push(...exact.map((r) => toAnswer(owner, r, zone)));
      if (qtype === 'MX' || qtype === 'NS') addGlue(zone, exact, res);
      return done(RCODE.NOERROR, true);
    }
    const cname = byType.get('CNAME');
    if (!cname) {
      res.authorities!.push(negativeSoa(zone));
      return done(RCODE.NOERROR, true);
    }
    res.answers!.push(toAnswer(owner, cname[0], zone));
    const target = cname[0].value;
    // Chase only inside this zone; a resolver follows targets elsewhere itself.
    if (target !== zone.name && !target.endsWith('.' + zone.name)) return done(RCODE.NOERROR, true);
    owner = name = target;
  }
  return done(RCODE.SERVFAIL, true);
}

/** The nearest name at or above `rel` (below the apex) that holds NS records: a zone cut. */
function delegation(zone: IndexedZone, rel: string): string | undefined {
  if (rel === '@') return undefined;
  const labels = rel.split('.');
  for (let i = labels.length - 1; i >= 0; i--) {
    const n = labels.slice(i).join('.');
    if (zone.owners.get(n)?.has('NS')) return n;
  }
  return undefined;
}

/** Addresses of in-zone targets, so the client needs no second query. */
function addGlue(zone: IndexedZone, records: IndexedRecord[], res: Packet): void {
  for (const r of records) {
    const host = r.value;
    if (host !== zone.name && !host.endsWith('.' + zone.name)) continue;
    const byType = zone.owners.get(host === zone.name ? '@' : host.slice(0, -(zone.name.length + 1)));
    for (const t of ['A', 'AAAA'] as const) for (const a of byType?.get(t) ?? []) res.additionals!.push(toAnswer(host, a, zone));
  }
}

/**
 * The reply bytes. Over UDP, an answer larger than the client accepts is sent
 * empty with TC set, so the client asks again over TCP (RFC 7766).
 */
export function encodeAnswer(a: Answered, transport: 'udp' | 'tcp'): Buffer {
  const buf = dnsPacket.encode(a.packet);
  // Over TCP only the two-byte length prefix limits the size.
  if (buf.length <= (transport === 'tcp' ? 0xffff : a.udpLimit)) return buf;
  const p = a.packet;
  return dnsPacket.encode({
    ...p,
    flags: (p.flags ?? 0) | dnsPacket.TRUNCATED_RESPONSE,
    answers: [],
    authorities: [],
    additionals: (p.additionals ?? []).filter((x) => x.type === 'OPT'),
  });
}
