import { randomBytes } from 'node:crypto';

/** Sortable and readable: bk-20261129T043000Z-1a2b3c. */
export function newBackupId(now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  return `bk-${stamp}-${randomBytes(3).toString('hex')}`;
}

export const BACKUP_ID_RE = /^bk-\d{8}T\d{6}Z-[0-9a-f]{6}$/;

export const ARCHIVE_EXT = '.faztbak';
export const MANIFEST_EXT = '.json';
