import Database from 'better-sqlite3';
import { chmodSync, closeSync, openSync, rmSync, statSync } from 'node:fs';
import type { DB } from '../store/db.js';

/** Pages copied per step: small enough that requests are served between steps. */
const PAGES_PER_STEP = 256;

/**
 * A consistent copy of the live database through SQLite's online backup API,
 * taken step by step so the server keeps answering while it runs. Writes made
 * through the same connection during the copy are carried into it; the copy is
 * left as a single rollback-journal file (no -wal beside it).
 */
export async function takeSnapshot(db: DB, dest: string, progress?: (done: number, total: number) => void): Promise<{ bytes: number }> {
  rmSync(dest, { force: true });
  closeSync(openSync(dest, 'wx', 0o600));
  await db.backup(dest, {
    progress({ totalPages, remainingPages }) {
      progress?.(totalPages - remainingPages, totalPages);
      return PAGES_PER_STEP;
    },
  });
  const copy = new Database(dest);
  try {
    copy.pragma('journal_mode = DELETE');
  } finally {
    copy.close();
  }
  chmodSync(dest, 0o600);
  return { bytes: statSync(dest).size };
}
