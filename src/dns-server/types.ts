/** The record types the built-in server stores and answers. */
export const RECORD_TYPES = ['A', 'AAAA', 'CNAME', 'MX', 'TXT', 'NS', 'CAA', 'SOA'] as const;
export type BuiltinRecordType = (typeof RECORD_TYPES)[number];

export interface BuiltinDnsRecord {
  id: string;
  zone: string;
  /** Relative to the zone; '@' is the apex. */
  name: string;
  type: BuiltinRecordType;
  value: string;
  ttl: number;
  priority?: number;
}

export interface RecordInput {
  name: string;
  type: string;
  value: string;
  ttl?: number;
  priority?: number;
}

/** The authoritative server for zones this fazt hosts; other modules code against this. */
export interface BuiltinDns {
  zones(): { name: string; serial: number; records: number }[];
  /** Adds SOA + NS; ZONE_EXISTS error if present. */
  createZone(name: string): void;
  deleteZone(name: string): boolean;
  /** Throws NOT_FOUND for an unknown zone. */
  records(zone: string): BuiltinDnsRecord[];
  /** Replaces the (name, type) set with this one value. */
  set(zone: string, rec: RecordInput): BuiltinDnsRecord;
  /** Adds a value to the (name, type) set (TXT for ACME). */
  add(zone: string, rec: RecordInput): BuiltinDnsRecord;
  remove(zone: string, sel: { name: string; type: string; value?: string }): number;
  listening(): { host: string; port: number } | null;
}
