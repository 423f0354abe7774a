import type { DB } from '../store/db.js';
import { OpError } from '../kernel/ops/errors.js';
import type { DataScope, KvApi, KvEntry } from './api.js';
import type { StorageLimits } from './limits.js';
import { checkListLimit, checkPrefix, isWellFormed, prefixUpperBound, toJson, toStored } from './scope.js';

export const KEY_MAX = 512;
export const KV_LIST_DEFAULT = 1000;
export const KV_LIST_MAX = 10_000;

interface Row {
  key: string;
  value: string;
  expires_at: number | null;
}

/**
 * App key-value store. Expired entries are invisible at once, deleted lazily when
 * read and in bulk by `sweep()` (the module runs it on a timer).
 * Statements are prepared once: this is the hottest storage path.
 */
export class KvStore implements KvApi {
  private readonly sGet;
  private readonly sSet;
  private readonly sDel;
  private readonly sDelExpired;
  private readonly sListAll;
  private readonly sListFrom;
  private readonly sListRange;
  private readonly sSweep;

  constructor(
    private readonly db: DB,
    private readonly limits: StorageLimits,
  ) {
    this.sGet = db.prepare('SELECT value, expires_at FROM app_kv WHERE app_id = ? AND user_id = ? AND key = ?');
    this.sSet = db.prepare(
      `INSERT INTO app_kv (app_id, user_id, key, value, expires_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (app_id, user_id, key) DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at, updated_at = excluded.updated_at`,
    );
    this.sDel = db.prepare('DELETE FROM app_kv WHERE app_id = ? AND user_id = ? AND key = ?');
    this.sDelExpired = db.prepare('DELETE FROM app_kv WHERE app_id = ? AND user_id = ? AND key = ? AND expires_at <= ?');
    const live = '(expires_at IS NULL OR expires_at > ?)';
    const cols = 'SELECT key, value, expires_at FROM app_kv WHERE app_id = ? AND user_id = ?';
    this.sListAll = db.prepare(`${cols} AND ${live} ORDER BY key LIMIT ?`);
    this.sListFrom = db.prepare(`${cols} AND key >= ? AND ${live} ORDER BY key LIMIT ?`);
    this.sListRange = db.prepare(`${cols} AND key >= ? AND key < ? AND ${live} ORDER BY key LIMIT ?`);
    this.sSweep = db.prepare('DELETE FROM app_kv WHERE expires_at IS NOT NULL AND expires_at <= ?');
  }

  get(scope: DataScope, key: string): unknown | null {
    const s = toStored(scope);
    checkKey(key);
    const row = this.sGet.get(s.app, s.user, key) as Row | undefined;
    if (!row) return null;
    const now = Date.now();
    if (row.expires_at !== null && row.expires_at <= now) {
      this.sDelExpired.run(s.app, s.user, key, now);
      return null;
    }
    return JSON.parse(row.value);
  }

  /** Like get, but tells a stored null from a missing key and gives the expiry. */
  getEntry(scope: DataScope, key: string): KvEntry | null {
    const s = toStored(scope);
    checkKey(key);
    const row = this.sGet.get(s.app, s.user, key) as Row | undefined;
    if (!row || (row.expires_at !== null && row.expires_at <= Date.now())) return null;
    return { key, value: JSON.parse(row.value), expiresAt: row.expires_at === null ? null : new Date(row.expires_at).toISOString() };
  }

  set(scope: DataScope, key: string, value: unknown, ttlMs?: number): void {
    const s = toStored(scope);
    checkKey(key);
    const now = Date.now();
    const expires = ttlMs === undefined || ttlMs === null ? null : now + checkTtl(ttlMs);
    this.sSet.run(s.app, s.user, key, toJson(value, this.limits.maxValueBytes, `The value for '${key.slice(0, 64)}'`), expires, now);
  }

  delete(scope: DataScope, key: string): boolean {
    const s = toStored(scope);
    checkKey(key);
    return this.sDel.run(s.app, s.user, key).changes > 0;
  }

  list(scope: DataScope, prefix = '', limit = KV_LIST_DEFAULT): KvEntry[] {
    const s = toStored(scope);
    checkPrefix(prefix, KEY_MAX, 'key');
    const n = checkListLimit(limit, KV_LIST_MAX);
    const now = Date.now();
    let rows: Row[];
    if (!prefix) rows = this.sListAll.all(s.app, s.user, now, n) as Row[];
    else {
      const upper = prefixUpperBound(prefix);
      rows = (upper === null ? this.sListFrom.all(s.app, s.user, prefix, now, n) : this.sListRange.all(s.app, s.user, prefix, upper, now, n)) as Row[];
    }
    return rows.map((r) => ({
      key: r.key,
      value: JSON.parse(r.value),
      expiresAt: r.expires_at === null ? null : new Date(r.expires_at).toISOString(),
    }));
  }

  /** Deletes every expired entry of every app; returns how many. */
  sweep(now = Date.now()): number {
    return this.sSweep.run(now).changes;
  }

  deleteApp(appId: string): number {
    return this.db.prepare('DELETE FROM app_kv WHERE app_id = ?').run(appId).changes;
  }
}

export function checkKey(key: unknown): asserts key is string {
  if (typeof key !== 'string' || key === '') throw new OpError('BAD_INPUT', 'A key must be a non-empty string.');
  if (key.length > KEY_MAX) throw new OpError('BAD_INPUT', `A key must be at most ${KEY_MAX} characters (got ${key.length}).`);
  if (!isWellFormed(key)) throw new OpError('BAD_INPUT', 'A key must be well-formed Unicode (it contains a lone surrogate).');
}

function checkTtl(ttlMs: unknown): number {
  if (typeof ttlMs !== 'number' || !Number.isFinite(ttlMs) || ttlMs <= 0) {
    throw new OpError('BAD_INPUT', `A TTL must be a positive number of milliseconds (got ${String(ttlMs)}).`);
  }
  return Math.ceil(ttlMs);
}

