import type { DB } from '../store/db.js';

export interface Deleted {
  logs: number;
  access: number;
}

/** Deletes lines older than `beforeIso` (optionally of one app). */
export function deleteOlderThan(db: DB, beforeIso: string, appId?: string): Deleted {
  const scope = appId ? ' AND app_id = ?' : '';
  const args = appId ? [beforeIso, appId] : [beforeIso];
  return db.transaction(() => ({
    logs: db.prepare(`DELETE FROM logs WHERE at < ?${scope}`).run(...args).changes,
    access: db.prepare(`DELETE FROM access_logs WHERE at < ?${scope}`).run(...args).changes,
  }))();
}

/** Keeps at most `maxRows` newest rows per table (ids only grow, so the cut is by id). */
export function enforceRowCap(db: DB, maxRows: number): Deleted {
  const cut = (table: 'logs' | 'access_logs') => {
    const row = db.prepare(`SELECT id FROM ${table} ORDER BY id DESC LIMIT 1 OFFSET ?`).get(maxRows) as { id: number } | undefined;
    return row ? db.prepare(`DELETE FROM ${table} WHERE id <= ?`).run(row.id).changes : 0;
  };
  return db.transaction(() => ({ logs: cut('logs'), access: cut('access_logs') }))();
}

/** What a log row costs besides its text: the other columns and its index entries, roughly. */
export const ROW_OVERHEAD_BYTES = 100;

/**
 * Deletes the oldest app log lines until the rest fit in `maxBytes`. Rows vary
 * from a few bytes to several kB, so a row count alone does not bound the file.
 */
export function enforceByteCap(db: DB, maxBytes: number): Deleted {
  const row = db
    .prepare(
      `SELECT id FROM (SELECT id, SUM(length(CAST(message AS BLOB)) + COALESCE(length(CAST(fields AS BLOB)), 0) + ${ROW_OVERHEAD_BYTES}) OVER (ORDER BY id DESC) AS total FROM logs)
       WHERE total > ? ORDER BY id DESC LIMIT 1`,
    )
    .get(maxBytes) as { id: number } | undefined;
  const logs = row ? db.prepare('DELETE FROM logs WHERE id <= ?').run(row.id).changes : 0;
  return { logs, access: 0 };
}
