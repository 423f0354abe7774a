import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The key that seals every secret. It never lives in data.db, so a copy of the database alone reveals nothing. */
export interface MasterKey {
  key: Buffer;
  /** Short fingerprint stored beside each sealed value, so a wrong key is named, not a garbled decrypt. */
  id: string;
  source: 'env' | 'file';
}

export const MASTER_KEY_FILE = 'master.key';

/** Parses FAZT_MASTER_KEY: 32 bytes as 64 hex characters or base64. */
export function parseMasterKey(text: string): Buffer {
  const t = text.trim();
  const key = /^[0-9a-f]{64}$/i.test(t) ? Buffer.from(t, 'hex') : Buffer.from(t, 'base64');
  if (key.length !== 32) {
    throw new Error('FAZT_MASTER_KEY must be 32 bytes, as 64 hex characters or base64 (e.g. `openssl rand -hex 32`).');
  }
  return key;
}

export function keyId(key: Buffer): string {
  return createHash('sha256').update('fazt-master-key-id').update(key).digest('hex').slice(0, 12);
}

/** FAZT_MASTER_KEY wins; else `<dataDir>/master.key` (mode 0600), created on first use. */
export function loadMasterKey(dataDir: string, env: NodeJS.ProcessEnv = process.env): MasterKey {
  if (env.FAZT_MASTER_KEY) {
    const key = parseMasterKey(env.FAZT_MASTER_KEY);
    return { key, id: keyId(key), source: 'env' };
  }
  const path = join(dataDir, MASTER_KEY_FILE);
  if (!existsSync(path)) {
    // 'wx' never overwrites a key another process just wrote.
    try {
      writeFileSync(path, randomBytes(32).toString('hex') + '\n', { mode: 0o600, flag: 'wx' });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
  chmodSync(path, 0o600);
  const key = parseMasterKey(readFileSync(path, 'utf8'));
  return { key, id: keyId(key), source: 'file' };
}
