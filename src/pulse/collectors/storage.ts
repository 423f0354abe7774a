import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { DB } from '../../store/db.js';
import { round } from '../request-metrics.js';
import { defineCollector } from './define.js';

const MB = 1024 * 1024;

async function sizeOf(path: string): Promise<number> {
  try {
    return (await stat(path)).size;
  } catch {
    return 0;
  }
}

export function tableExists(db: DB, name: string): boolean {
  return !!db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name);
}

/**
 * Rows in a table, or null when it does not exist. Large append-only tables are
 * measured by their rowid range (O(log n); exact while rows are only trimmed from
 * the old end, as retention does) instead of a full COUNT(*).
 */
export function rowCount(db: DB, table: string): number | null {
  if (!tableExists(db, table)) return null;
  try {
    // Two subqueries: SQLite answers a lone MIN() or MAX() from the b-tree edge, not both at once.
    const r = db.prepare(`SELECT (SELECT MAX(rowid) FROM "${table}") - (SELECT MIN(rowid) FROM "${table}") + 1 AS n`).get() as { n: number | null };
    return r.n ?? 0;
  } catch {
    return (db.prepare(`SELECT COUNT(*) AS n FROM "${table}"`).get() as { n: number }).n;
  }
}

/** Tables holding file or blob bytes in a `size` column (app files and app blob storage). */
const BLOB_TABLES = ['blobs', 'app_blobs', 'data_blobs', 'blob_objects'];

function blobBytes(db: DB): number {
  let total = 0;
  for (const t of BLOB_TABLES) {
    if (!tableExists(db, t)) continue;
    const cols = db.prepare(`PRAGMA table_info("${t}")`).all() as { name: string }[];
    if (!cols.some((c) => c.name === 'size')) continue;
    total += (db.prepare(`SELECT COALESCE(SUM(size), 0) AS n FROM "${t}"`).get() as { n: number }).n;
  }
  return total;
}

/** data.db and its WAL on disk, rows in the log and event tables, bytes of stored blobs. */
export const storageCollector = defineCollector({
  name: 'storage',
  async collect({ kernel }) {
    const dir = kernel.config.dataDir;
    const [db, wal] = await Promise.all([sizeOf(join(dir, 'data.db')), sizeOf(join(dir, 'data.db-wal'))]);
    return {
      dbMb: round(db / MB),
      walMb: round(wal / MB),
      totalMb: round((db + wal) / MB),
      logsRows: rowCount(kernel.db, 'logs'),
      accessLogsRows: rowCount(kernel.db, 'access_logs'),
      eventsRows: rowCount(kernel.db, 'events'),
      beatsRows: rowCount(kernel.db, 'pulse_beats'),
      blobMb: round(blobBytes(kernel.db) / MB),
    };
  },
});
