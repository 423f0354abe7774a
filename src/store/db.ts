import Database from 'better-sqlite3';
import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import { join } from 'node:path';

export type DB = Database.Database;

/** The database and the files SQLite keeps beside it in WAL mode. */
export const DATABASE_FILES = ['data.db', 'data.db-wal', 'data.db-shm'];

/** Opens (creating if needed) the single data.db in WAL mode, readable by its owner only. */
export function openDatabase(dataDir: string): DB {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const file = join(dataDir, 'data.db');
  // Created 0600 before SQLite opens it: SQLite gives -wal and -shm the database file's mode.
  try {
    closeSync(openSync(file, 'wx', 0o600));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  db.pragma('foreign_keys = ON');
  // Earlier versions left these 0644: the database holds tokens' hashes, app data and sealed secrets.
  for (const f of DATABASE_FILES) restrictMode(join(dataDir, f));
  return db;
}

/** 0600 when the file exists and is ours to change (a file of another user is left to the data dir's own mode). */
function restrictMode(path: string): void {
  if (!existsSync(path)) return;
  try {
    chmodSync(path, 0o600);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') throw err;
  }
}

export function nowIso(): string {
  return new Date().toISOString();
}
