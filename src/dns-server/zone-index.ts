import { parseSoa, type SoaFields } from './record-values.js';
import type { BuiltinRecordType } from './types.js';

export interface IndexedRecord {
  type: BuiltinRecordType;
  value: string;
  ttl: number;
  priority?: number;
}

export interface IndexedZone {
  name: string;
  serial: number;
  soa: { ttl: number; fields: SoaFields };
  /** Relative owner name → type → records. */
  owners: Map<string, Map<BuiltinRecordType, IndexedRecord[]>>;
  /** Names with no records of their own but records below them (they exist: NODATA, not NXDOMAIN). */
  nonTerminals: Set<string>;
}

/**
 * What queries read: every hosted zone in memory, rebuilt for a zone after each
 * change, so answering never touches the database.
 */
export class ZoneIndex {
  private readonly zones = new Map<string, IndexedZone>();

  put(name: string, serial: number, rows: { name: string; type: BuiltinRecordType; value: string; ttl: number; priority: number | null }[]): void {
    const owners = new Map<string, Map<BuiltinRecordType, IndexedRecord[]>>();
    const nonTerminals = new Set<string>();
    let soa: IndexedZone['soa'] | undefined;
    for (const r of rows) {
      let byType = owners.get(r.name);
      if (!byType) owners.set(r.name, (byType = new Map()));
      let list = byType.get(r.type);
      if (!list) byType.set(r.type, (list = []));
      list.push({ type: r.type, value: r.value, ttl: r.ttl, ...(r.priority !== null ? { priority: r.priority } : {}) });
      if (r.type === 'SOA') soa = { ttl: r.ttl, fields: { ...parseSoa(r.value), serial } };
      if (r.name !== '@') {
        const labels = r.name.split('.');
        for (let i = 1; i < labels.length; i++) nonTerminals.add(labels.slice(i).join('.'));
      }
    }
    if (!soa) throw new Error(`zone ${name} has no SOA record`);
    this.zones.set(name, { name, serial, soa, owners, nonTerminals });
  }

  drop(name: string): void {
    this.zones.delete(name);
  }

  /** The hosted zone a query name falls in: the longest matching suffix. */
  zoneFor(qname: string): IndexedZone | undefined {
    let name = qname;
    for (;;) {
      const z = this.zones.get(name);
      if (z) return z;
      const dot = name.indexOf('.');
      if (dot < 0) return undefined;
      name = name.slice(dot + 1);
    }
  }
}
