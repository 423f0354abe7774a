export const RECORD_TYPES = ['A', 'AAAA', 'CNAME', 'MX', 'TXT', 'NS', 'CAA'] as const;
export type RecordType = (typeof RECORD_TYPES)[number];

/** One record as fazt shows it: name relative to the zone ('@' is the apex), value without the priority. */
export interface DnsRecord {
  id: string;
  name: string;
  type: string;
  value: string;
  ttl: number;
  priority?: number;
  proxied?: boolean;
}

export interface RecordInput {
  name: string;
  type: RecordType;
  value: string;
  ttl: number;
  priority?: number;
  proxied?: boolean;
}

export interface DnsZone {
  id: string;
  name: string;
  records: number | null;
}

/** A DNS host that knows nothing of ops: zones, records, and the (name, type) set as the unit of change. */
export interface DnsProvider {
  readonly id: string;
  zones(): Promise<DnsZone[]>;
  records(zone: string): Promise<DnsRecord[]>;
  /** Replaces the (name, type) set with this one value (an upsert). */
  set(zone: string, rec: RecordInput): Promise<DnsRecord>;
  /** Adds a value to the (name, type) set, keeping the others (TXT for ACME). */
  add(zone: string, rec: RecordInput): Promise<DnsRecord>;
  /** Removes the set, or only the value given; returns how many records went. */
  remove(zone: string, sel: { name: string; type: string; value?: string }): Promise<number>;
}

// The built-in authoritative server's interface, defined by the server itself.
export type { BuiltinDns, BuiltinDnsRecord } from '../../dns-server/types.js';
