import type { Answer } from 'dns-packet';
import { parseCaa, txtChunks } from './record-values.js';
import type { IndexedRecord, IndexedZone } from './zone-index.js';

/** One stored record as a dns-packet answer owned by `owner`. */
export function toAnswer(owner: string, r: IndexedRecord, zone: IndexedZone): Answer {
  const base = { name: owner, ttl: r.ttl, class: 'IN' as const };
  switch (r.type) {
    case 'A':
    case 'AAAA':
    case 'CNAME':
    case 'NS':
      return { ...base, type: r.type, data: r.value } as Answer;
    case 'MX':
      return { ...base, type: 'MX', data: { preference: r.priority ?? 0, exchange: r.value } };
    case 'TXT':
      return { ...base, type: 'TXT', data: txtChunks(r.value) };
    case 'CAA': {
      const c = parseCaa(r.value);
      return { ...base, type: 'CAA', data: { flags: c.flags, tag: c.tag as 'issue', value: c.value } };
    }
    case 'SOA':
      return soaAnswer(zone, r.ttl);
  }
}

export function soaAnswer(zone: IndexedZone, ttl = zone.soa.ttl): Answer {
  return { name: zone.name, type: 'SOA', ttl, class: 'IN', data: { ...zone.soa.fields, serial: zone.serial } };
}

/** The SOA a negative answer carries: its TTL is how long resolvers may cache the "no" (RFC 2308 §5). */
export function negativeSoa(zone: IndexedZone): Answer {
  return soaAnswer(zone, Math.min(zone.soa.ttl, zone.soa.fields.minimum));
}
