import type { DB } from '../store/db.js';
import { nowIso } from '../store/db.js';
import { OpError } from '../kernel/ops/errors.js';
import { loadMasterKey, type MasterKey } from './master-key.js';
import { open, seal } from './sealed.js';

export interface SecretInfo {
  name: string;
  updatedAt: string;
  /** False when the value was sealed under another master key and must be set again. */
  readable: boolean;
}

/**
 * Encrypted named values (provider keys, channel credentials, the TOTP seed).
 * The only code that decrypts; callers get plaintext only for immediate use
 * and must never return it from an op.
 */
export class SecretStore {
  private master: MasterKey | undefined;

  constructor(
    private readonly db: DB,
    private readonly dataDir: string,
  ) {}

  /** Loaded on first use, so a server that stores no secret never writes a key file. */
  private key(): MasterKey {
    this.master ??= loadMasterKey(this.dataDir);
    return this.master;
  }

  set(name: string, value: string): void {
    const k = this.key();
    this.db
      .prepare(
        `INSERT INTO secrets (name, sealed, key_id, updated_at) VALUES (?, ?, ?, ?)
         ON CONFLICT(name) DO UPDATE SET sealed = excluded.sealed, key_id = excluded.key_id, updated_at = excluded.updated_at`,
      )
      .run(name, seal(k.key, name, value), k.id, nowIso());
  }

  has(name: string): boolean {
    return this.db.prepare('SELECT 1 FROM secrets WHERE name = ?').get(name) !== undefined;
  }

  /** The plaintext, undefined when unset; SECRET_UNREADABLE (naming what to set again) under a different master key. */
  get(name: string): string | undefined {
    const row = this.db.prepare('SELECT sealed, key_id FROM secrets WHERE name = ?').get(name) as { sealed: string; key_id: string } | undefined;
    if (!row) return undefined;
    const k = this.key();
    try {
      if (row.key_id !== k.id) throw new Error('key mismatch');
      return open(k.key, name, row.sealed);
    } catch {
      throw new OpError(
        'SECRET_UNREADABLE',
        `The secret '${name}' was sealed under a different master key (${k.source === 'env' ? 'FAZT_MASTER_KEY' : 'master.key'} changed or was lost). Set it again.`,
        { secret: name, unreadable: this.unreadable() },
      );
    }
  }

  delete(name: string): boolean {
    return this.db.prepare('DELETE FROM secrets WHERE name = ?').run(name).changes > 0;
  }

  /** Names and state only; never values. */
  list(prefix = ''): SecretInfo[] {
    const rows = this.db
      .prepare("SELECT name, key_id, updated_at FROM secrets WHERE substr(name, 1, length(?)) = ? ORDER BY name")
      .all(prefix, prefix) as { name: string; key_id: string; updated_at: string }[];
    if (!rows.length) return [];
    const id = this.key().id;
    return rows.map((r) => ({ name: r.name, updatedAt: r.updated_at, readable: r.key_id === id }));
  }

  /** Secrets that the current master key cannot open (to name in errors and pulse). */
  unreadable(): string[] {
    return this.list().filter((s) => !s.readable).map((s) => s.name);
  }
}
