import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { SecretStore } from '../secrets/secret-store.js';
import { CONFIG_KEY, defaultLocalDir, SECRET_ACCESS_KEY, SECRET_ACCESS_KEY_ID, type BackupConfig } from './config.js';
import { downloadTo } from './download.js';
import { ARCHIVE_EXT, BACKUP_ID_RE } from './ids.js';
import { S3Target } from './targets/s3.js';

export class SourceError extends Error {}

/**
 * Finds an archive for an offline restore: an http(s) URL (downloaded into `work`),
 * a file, or a backup id looked up in the data dir's configured target (its S3
 * credentials opened with the data dir's own master key) or its backups folder.
 */
export async function resolveArchive(source: string, dataDir: string, work: string, progress?: (d: number, t: number) => void): Promise<string> {
  if (/^https?:\/\//.test(source)) {
    const dest = join(work, 'download' + ARCHIVE_EXT);
    await downloadTo(source, dest, progress);
    return dest;
  }
  if (!BACKUP_ID_RE.test(source)) {
    if (!existsSync(source)) throw new SourceError(`No backup file ${source} (give a file, an http(s) URL, or a backup id like bk-20261129T043000Z-1a2b3c).`);
    return source;
  }
  const cfg = readTargetConfig(dataDir);
  if (cfg?.target.type === 's3') {
    const db = new Database(join(dataDir, 'data.db'));
    try {
      const secrets = new SecretStore(db, dataDir);
      const accessKeyId = secrets.get(SECRET_ACCESS_KEY_ID);
      const secretAccessKey = secrets.get(SECRET_ACCESS_KEY);
      if (!accessKeyId || !secretAccessKey) throw new SourceError('The S3 backup target of this data dir has no credentials stored.');
      const dest = join(work, source + ARCHIVE_EXT);
      await new S3Target(cfg.target, { accessKeyId, secretAccessKey }).getFile(source + ARCHIVE_EXT, dest, progress);
      return dest;
    } finally {
      db.close();
    }
  }
  const dir = cfg?.target.type === 'local' && cfg.target.dir ? cfg.target.dir : defaultLocalDir(dataDir);
  const file = join(dir, source + ARCHIVE_EXT);
  if (!existsSync(file)) throw new SourceError(`No backup ${source} in ${dir}. Give the backup's file or URL instead.`);
  return file;
}

function readTargetConfig(dataDir: string): Pick<BackupConfig, 'target'> | undefined {
  const file = join(dataDir, 'data.db');
  if (!existsSync(file)) return undefined;
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const row = db.prepare('SELECT value FROM settings WHERE key = ?').get(CONFIG_KEY) as { value: string } | undefined;
    return row ? (JSON.parse(row.value) as BackupConfig) : undefined;
  } catch {
    return undefined;
  } finally {
    db.close();
  }
}
