import type { DB } from '../../store/db.js';
import type { FaztEvent } from '../../events/bus.js';
import { tableExists } from '../collectors/storage.js';

/**
 * Persisted events in a time range, when the events store exists. The table is owned
 * by another area, so its columns are discovered rather than assumed.
 */
export function storedEvents(db: DB, fromMs: number, toMs: number, limit = 200): FaztEvent[] {
  if (!tableExists(db, 'events')) return [];
  try {
    const cols = new Set((db.prepare('PRAGMA table_info(events)').all() as { name: string }[]).map((c) => c.name));
    const time = ['timestamp', 'at', 'created_at', 'ts', 'time'].find((c) => cols.has(c));
    if (!time || !cols.has('type')) return [];
    const sample = db.prepare(`SELECT typeof("${time}") AS t FROM events LIMIT 1`).get() as { t: string } | undefined;
    const numeric = sample?.t === 'integer' || sample?.t === 'real';
    const [from, to] = numeric ? [fromMs, toMs] : [new Date(fromMs).toISOString(), new Date(toMs).toISOString()];
    const pick = (c: string) => (cols.has(c) ? `"${c}"` : 'NULL');
    const rows = db
      .prepare(`SELECT ${pick('id')} AS id, type, ${pick('source')} AS source, ${pick('data')} AS data, "${time}" AS ts
                FROM events WHERE "${time}" >= ? AND "${time}" <= ? AND type NOT LIKE 'op.%' AND type NOT LIKE 'system.pulse.%'
                ORDER BY "${time}" DESC LIMIT ?`)
      .all(from, to, limit) as { id: unknown; type: string; source: string | null; data: unknown; ts: string | number }[];
    return rows.map((r) => ({
      id: String(r.id ?? ''),
      type: r.type,
      source: r.source ?? 'system',
      data: typeof r.data === 'string' ? safeJson(r.data) : (r.data ?? null),
      timestamp: typeof r.ts === 'number' ? new Date(r.ts).toISOString() : String(r.ts),
    }));
  } catch {
    return [];
  }
}

function safeJson(s: string): unknown {
  try {
    return JSON.parse(s);
  } catch {
    return s;
  }
}
