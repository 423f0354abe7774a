import Database from 'better-sqlite3';
import { existsSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { migrate, type Migration } from '../store/migrations.js';
import { ArchiveError, extractDatabase } from './archive.js';
import { appCounts, compareSchema, schemaVersions } from './manifest.js';
import type { BackupManifest } from './types.js';

export type ModuleSchemas = { name: string; migrations: Migration[] }[];

export class RestoreError extends Error {
  constructor(
    readonly code: 'INTEGRITY_FAILED' | 'NEWER_SCHEMA' | 'NO_DATA_DIR' | ArchiveError['code'],
    message: string,
  ) {
    super(message);
  }
}

export interface PreparedRestore {
  /** The verified (and, when older, upgraded) database, ready to become data.db. */
  file: string;
  manifest: BackupManifest;
  upgraded: boolean;
  counts: { apps: number; versions: number; kvRows: number; docs: number; tables: number };
}

function count(db: Database.Database, table: string): number {
  const has = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(table);
  return has ? (db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n : 0;
}

/**
 * Takes the database out of an archive into `dest`, then proves it is usable:
 * checksum (while extracting), PRAGMA integrity_check, a schema this build can
 * open (a newer one is refused by name), and migrations for an older one.
 */
export async function prepareRestore(
  archive: string,
  dest: string,
  modules: ModuleSchemas,
  opts: { passphrase?: string; progress?: (done: number, total: number, message?: string) => void; upgrade?: boolean } = {},
): Promise<PreparedRestore> {
  rmSync(dest, { force: true });
  let manifest: BackupManifest;
  try {
    manifest = await extractDatabase(archive, dest, { passphrase: opts.passphrase, progress: (d, t) => opts.progress?.(d, t, 'extracting') });
  } catch (err) {
    rmSync(dest, { force: true });
    if (err instanceof ArchiveError) throw new RestoreError(err.code, err.message);
    throw err;
  }
  const db = new Database(dest);
  try {
    const result = (db.pragma('integrity_check') as { integrity_check: string }[]).map((r) => r.integrity_check);
    if (result.length !== 1 || result[0] !== 'ok') {
      throw new RestoreError('INTEGRITY_FAILED', `Backup ${manifest.id} fails PRAGMA integrity_check: ${result.slice(0, 3).join('; ')}`);
    }
    const known = modules.map((m) => ({ name: m.name, newest: Math.max(0, ...m.migrations.map((x) => x.version)) }));
    const cmp = compareSchema(schemaVersions(db), known);
    if (cmp.newer) {
      const { module, version, known: k } = cmp.newer;
      throw new RestoreError(
        'NEWER_SCHEMA',
        `Backup ${manifest.id} was made by a newer fazt (${manifest.faztVersion}): module '${module}' is at schema ${version}, this fazt knows ${k}. Upgrade fazt, then restore it.`,
      );
    }
    if (cmp.older && opts.upgrade !== false) migrate(db, modules);
    const counts = { ...appCounts(db), kvRows: count(db, 'app_kv'), docs: count(db, 'app_docs'), tables: (db.prepare("SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'table'").get() as { n: number }).n };
    return { file: dest, manifest, upgraded: cmp.older && opts.upgrade !== false, counts };
  } catch (err) {
    db.close();
    rmSync(dest, { force: true });
    throw err;
  } finally {
    if (db.open) db.close();
  }
}

/**
 * Puts a prepared database in place as DIR/data.db on a stopped data dir. The file it
 * replaces is kept (with its -wal, so nothing a crash left unflushed is lost) as
 * data.db.replaced-<stamp>.
 */
export function swapIntoDataDir(prepared: string, dataDir: string, now = new Date()): { replaced?: string } {
  const live = join(dataDir, 'data.db');
  let replaced: string | undefined;
  if (existsSync(live)) {
    replaced = `${live}.replaced-${now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}`;
    renameSync(live, replaced);
    for (const suffix of ['-wal', '-shm']) if (existsSync(live + suffix)) renameSync(live + suffix, replaced + suffix);
  }
  renameSync(prepared, live);
  return { replaced };
}
