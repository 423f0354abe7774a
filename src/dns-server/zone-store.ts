import { randomBytes } from 'node:crypto';
import type { DB } from '../store/db.js';
import { nowIso } from '../store/db.js';
import { OpError } from '../kernel/ops/errors.js';
import { absoluteName, hostName, relativeName, zoneName } from './names.js';
import { checkValue, formatSoa, parseSoa, recordType } from './record-values.js';
import { nextSerial } from './serial.js';
import type { BuiltinDnsRecord, BuiltinRecordType, RecordInput } from './types.js';
import { ZoneIndex } from './zone-index.js';

interface RecordRow {
  id: string; zone: string; name: string; type: BuiltinRecordType; value: string; ttl: number; priority: number | null;
}

export const DEFAULT_TTL = 300;
const APEX_TTL = 3600;
const MAX_TTL = 604_800;

/**
 * Zones and records in SQLite, the only writer of both. Every change bumps the
 * zone's serial and refreshes the in-memory index in the same call.
 */
export class ZoneStore {
  readonly index = new ZoneIndex();

  constructor(
    private readonly db: DB,
    /** Name servers new zones list at their apex; empty: ns1.<zone>. */
    private readonly nameservers: () => string[],
  ) {
    for (const z of this.db.prepare('SELECT name, serial FROM dns_zones').all() as { name: string; serial: number }[]) this.reindex(z.name, z.serial);
  }

  zones(): { name: string; serial: number; records: number }[] {
    return this.db
      .prepare('SELECT z.name, z.serial, (SELECT COUNT(*) FROM dns_records r WHERE r.zone = z.name) AS records FROM dns_zones z ORDER BY z.name')
      .all() as { name: string; serial: number; records: number }[];
  }

  createZone(raw: string): void {
    const zone = zoneName(raw);
    if (this.serialOf(zone) !== undefined) throw new OpError('ZONE_EXISTS', `The zone '${zone}' is already hosted here.`, { zone });
    const ns = this.nameservers().length ? this.nameservers() : [`ns1.${zone}`];
    const serial = nextSerial(0);
    const now = nowIso();
    this.db.transaction(() => {
      this.db.prepare('INSERT INTO dns_zones (name, serial, created_at, updated_at) VALUES (?, ?, ?, ?)').run(zone, serial, now, now);
      const soa = formatSoa({ mname: ns[0], rname: `hostmaster.${zone}`, serial, refresh: 7200, retry: 3600, expire: 1_209_600, minimum: DEFAULT_TTL });
      this.insert(zone, '@', 'SOA', soa, APEX_TTL, null);
      for (const n of ns) this.insert(zone, '@', 'NS', n, APEX_TTL, null);
    })();
    this.reindex(zone, serial);
  }

  deleteZone(raw: string): boolean {
    const zone = zoneName(raw);
    const gone = this.db.transaction(() => {
      this.db.prepare('DELETE FROM dns_records WHERE zone = ?').run(zone);
      return this.db.prepare('DELETE FROM dns_zones WHERE name = ?').run(zone).changes > 0;
    })();
    this.index.drop(zone);
    return gone;
  }

  records(raw: string): BuiltinDnsRecord[] {
    const zone = this.existing(raw);
    const serial = this.serialOf(zone)!;
    const rows = this.db.prepare('SELECT * FROM dns_records WHERE zone = ? ORDER BY name = \'@\' DESC, name, type, priority, value').all(zone) as RecordRow[];
    return rows.map((r) => this.toRecord(r, serial));
  }

  set(raw: string, rec: RecordInput): BuiltinDnsRecord {
    return this.write(raw, rec, 'replace');
  }

  add(raw: string, rec: RecordInput): BuiltinDnsRecord {
    return this.write(raw, rec, 'add');
  }

  remove(raw: string, sel: { name: string; type: string; value?: string }): number {
    const zone = this.existing(raw);
    const name = relativeName(sel.name, zone);
    const type = recordType(sel.type);
    if (type === 'SOA') throw new OpError('BAD_INPUT', 'A zone always keeps its SOA record; delete the zone instead.', { fields: [{ path: 'type', message: 'SOA cannot be removed' }] });
    // An MX is picked by its host; its priority, if written, is not part of the match.
    const value = sel.value === undefined ? undefined : type === 'MX' ? hostName(sel.value.trim().split(/\s+/).pop()!) : checkValue(type, sel.value).value;
    const n = this.db.transaction(() => {
      const q = value === undefined
        ? this.db.prepare('DELETE FROM dns_records WHERE zone = ? AND name = ? AND type = ?').run(zone, name, type)
        : this.db.prepare('DELETE FROM dns_records WHERE zone = ? AND name = ? AND type = ? AND value = ?').run(zone, name, type, value);
      if (type === 'NS' && name === '@' && !this.count(zone, '@', 'NS')) {
        throw new OpError('CONFLICT', `The zone '${zone}' must keep at least one NS record at its apex.`, { zone });
      }
      if (q.changes) this.bump(zone);
      return q.changes;
    })();
    if (n) this.reindex(zone);
    return n;
  }

  private write(raw: string, rec: RecordInput, mode: 'replace' | 'add'): BuiltinDnsRecord {
    const zone = this.existing(raw);
    const name = relativeName(rec.name, zone);
    const type = recordType(rec.type);
    const checked = checkValue(type, rec.value, rec.priority);
    const ttl = checkTtl(rec.ttl ?? (type === 'SOA' || (type === 'NS' && name === '@') ? APEX_TTL : DEFAULT_TTL));
    if (type === 'SOA' && name !== '@') throw new OpError('BAD_INPUT', 'The SOA record lives at the apex (@) only.', { fields: [{ path: 'name', message: "must be '@'" }] });
    if (type === 'SOA' && mode === 'add') throw new OpError('CONFLICT', 'A zone has exactly one SOA record: use set to change it.', { zone });
    const fqdn = absoluteName(name, zone);
    const id = this.db.transaction(() => {
      this.checkCname(zone, name, type, fqdn);
      if (mode === 'add') {
        const same = this.db.prepare('SELECT id FROM dns_records WHERE zone = ? AND name = ? AND type = ? AND value = ? AND priority IS ?').get(zone, name, type, checked.value, checked.priority ?? null) as { id: string } | undefined;
        // One TTL per set (RFC 2181 §5.2): a new TTL applies to the whole set.
        const changed = this.db.prepare('UPDATE dns_records SET ttl = ? WHERE zone = ? AND name = ? AND type = ? AND ttl != ?').run(ttl, zone, name, type, ttl).changes;
        if (same) {
          if (changed) this.bump(zone);
          return same.id;
        }
        if (type === 'CNAME' && this.count(zone, name, 'CNAME')) {
          throw new OpError('CONFLICT', `'${fqdn}' already has a CNAME, and a name has at most one: use set to replace it.`, { name: fqdn });
        }
      } else {
        this.db.prepare('DELETE FROM dns_records WHERE zone = ? AND name = ? AND type = ?').run(zone, name, type);
      }
      const newId = this.insert(zone, name, type, checked.value, ttl, checked.priority ?? null);
      this.bump(zone);
      return newId;
    })();
    const serial = this.reindex(zone);
    return this.toRecord(this.db.prepare('SELECT * FROM dns_records WHERE id = ?').get(id) as RecordRow, serial);
  }

  /** A CNAME owns its name alone (RFC 1034 §3.6.2). */
  private checkCname(zone: string, name: string, type: BuiltinRecordType, fqdn: string): void {
    const others = this.db.prepare('SELECT DISTINCT type FROM dns_records WHERE zone = ? AND name = ? AND type != ?').all(zone, name, type) as { type: string }[];
    if (type === 'CNAME' && others.length) {
      throw new OpError('CONFLICT', `'${fqdn}' already has ${others.map((o) => o.type).join(', ')} records, and a CNAME cannot share its name with other records.`, { name: fqdn });
    }
    if (type !== 'CNAME' && others.some((o) => o.type === 'CNAME')) {
      throw new OpError('CONFLICT', `'${fqdn}' is a CNAME, which cannot share its name with ${type} records. Remove the CNAME first.`, { name: fqdn });
    }
  }

  private insert(zone: string, name: string, type: BuiltinRecordType, value: string, ttl: number, priority: number | null): string {
    const id = 'dnsr_' + randomBytes(8).toString('hex');
    this.db.prepare('INSERT INTO dns_records (id, zone, name, type, value, ttl, priority, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
      .run(id, zone, name, type, value, ttl, priority, nowIso());
    return id;
  }

  private count(zone: string, name: string, type: string): number {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM dns_records WHERE zone = ? AND name = ? AND type = ?').get(zone, name, type) as { n: number }).n;
  }

  private bump(zone: string): void {
    const serial = nextSerial(this.serialOf(zone)!);
    this.db.prepare('UPDATE dns_zones SET serial = ?, updated_at = ? WHERE name = ?').run(serial, nowIso(), zone);
  }

  private serialOf(zone: string): number | undefined {
    return (this.db.prepare('SELECT serial FROM dns_zones WHERE name = ?').get(zone) as { serial: number } | undefined)?.serial;
  }

  private existing(raw: string): string {
    const zone = zoneName(raw);
    if (this.serialOf(zone) === undefined) {
      const hosted = this.zones().map((z) => z.name);
      throw new OpError('NOT_FOUND', `No hosted zone '${zone}'. ${hosted.length ? `Hosted zones: ${hosted.join(', ')}.` : 'No zones yet: create one with dns.zones.create.'}`, { zone });
    }
    return zone;
  }

  private reindex(zone: string, serial = this.serialOf(zone)!): number {
    this.index.put(zone, serial, this.db.prepare('SELECT name, type, value, ttl, priority FROM dns_records WHERE zone = ?').all(zone) as RecordRow[]);
    return serial;
  }

  private toRecord(r: RecordRow, serial: number): BuiltinDnsRecord {
    // The stored SOA carries the serial it was written with; the zone's own is the live one.
    const value = r.type === 'SOA' ? formatSoa({ ...parseSoa(r.value), serial }) : r.value;
    return { id: r.id, zone: r.zone, name: r.name, type: r.type, value, ttl: r.ttl, ...(r.priority !== null ? { priority: r.priority } : {}) };
  }
}

function checkTtl(ttl: number): number {
  if (!Number.isInteger(ttl) || ttl < 0 || ttl > MAX_TTL) {
    throw new OpError('BAD_INPUT', `The TTL must be a whole number of seconds 0-${MAX_TTL}, got ${ttl}.`, { fields: [{ path: 'ttl', message: `0-${MAX_TTL}` }] });
  }
  return ttl;
}
