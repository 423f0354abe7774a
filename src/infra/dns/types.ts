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

// The built-in authoritative server's interface (src/dns-server), as it sets kernel.services.dnsServer.
export interface BuiltinDnsRecord {
  id: string;
  zone: string;
  name: string;
  type: 'A' | 'AAAA' | 'CNAME' | 'MX' | 'TXT' | 'NS' | 'CAA' | 'SOA';
  value: string;
  ttl: number;
  priority?: number;
}

export interface BuiltinDns {
  zones(): { name: string; serial: number; records: number }[];
  createZone(name: string): void;
  deleteZone(name: string): boolean;
  records(zone: string): BuiltinDnsRecord[];
  set(zone: string, rec: { name: string; type: string; value: string; ttl?: number; priority?: number }): BuiltinDnsRecord;
  add(zone: string, rec: { name: string; type: string; value: string; ttl?: number; priority?: number }): BuiltinDnsRecord;
  remove(zone: string, sel: { name: string; type: string; value?: string }): number;
  listening(): { host: string; port: number } | null;
}
