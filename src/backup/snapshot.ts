import Database from 'better-sqlite3';
import { chmodSync, closeSync, openSync, rmSync, statSync } from 'node:fs';

/**
 * A consistent copy of the database through SQLite's online backup API, from a
 * connection of its own (run in a worker thread, so serving never waits on it).
 * The copy is made in one backup step: that step reads one snapshot of the WAL
 * database while writers go on, so it never restarts under a steady write load,
 * and it holds every transaction committed before it began. The copy is left as a
 * single rollback-journal file (no -wal beside it).
 */
export async function takeSnapshot(source: string, dest: string, progress?: (done: number, total: number) => void): Promise<{ bytes: number }> {
  rmSync(dest, { force: true });
  closeSync(openSync(dest, 'wx', 0o600));
  const db = new Database(source, { fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    await db.backup(dest, {
      progress({ totalPages, remainingPages }) {
        progress?.(totalPages - remainingPages, totalPages);
        return 0x7fffffff;
      },
    });
  } finally {
    db.close();
  }
  const copy = new Database(dest);
  try {
    copy.pragma('journal_mode = DELETE');
  } finally {
    copy.close();
  }
  chmodSync(dest, 0o600);
  const bytes = statSync(dest).size;
  progress?.(1, 1);
  return { bytes };
}
