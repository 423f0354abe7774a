import type { DB } from '../store/db.js';
import type { FaztEvent } from './bus.js';

export interface EventQuery {
  /** Exact type, or a pattern with `*` (any run of characters). */
  type?: string;
  source?: string;
  since?: string;
  until?: string;
  limit?: number;
}

export const DEFAULT_EVENT_LIMIT = 100;
export const MAX_EVENT_LIMIT = 1000;

/** `app:shop.*` as a GLOB (case-sensitive like the bus): only `*` is special, `?` and `[` are literal. */
export function patternToGlob(pattern: string): string {
  return pattern.replace(/[?[]/g, (c) => `[${c}]`);
}

/** Live (unexpired) persisted events, newest first. */
export function queryEvents(db: DB, q: EventQuery, nowIso: string): FaztEvent[] {
  const where = ['expires_at > ?'];
  const args: unknown[] = [nowIso];
  if (q.type && q.type !== '*') {
    if (q.type.includes('*')) (where.push('type GLOB ?'), args.push(patternToGlob(q.type)));
    else (where.push('type = ?'), args.push(q.type));
  }
  if (q.source) (where.push('source = ?'), args.push(q.source));
  if (q.since) (where.push('timestamp >= ?'), args.push(q.since));
  if (q.until) (where.push('timestamp <= ?'), args.push(q.until));
  const limit = Math.max(1, Math.min(q.limit ?? DEFAULT_EVENT_LIMIT, MAX_EVENT_LIMIT));
  const rows = db
    .prepare(`SELECT * FROM events WHERE ${where.join(' AND ')} ORDER BY timestamp DESC, rowid DESC LIMIT ?`)
    .all(...args, limit) as Record<string, string | null>[];
  return rows.map((r) => ({
    id: r.id!,
    type: r.type!,
    source: r.source!,
    data: r.data ? (JSON.parse(r.data) as unknown) : null,
    timestamp: r.timestamp!,
    ...(r.correlation_id ? { correlationId: r.correlation_id } : {}),
  }));
}
