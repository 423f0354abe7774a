import type { DB } from '../store/db.js';
import { nowIso } from '../store/db.js';
import { OpError } from '../kernel/ops/errors.js';
import type { BlobApi, BlobInfo, DataScope } from './api.js';
import type { StorageLimits } from './limits.js';
import { isValidMime, mimeFor } from './mime.js';
import { checkListLimit, checkPrefix, isWellFormed, prefixUpperBound, toStored } from './scope.js';

export const PATH_MAX = 1024;
export const BLOB_LIST_DEFAULT = 1000;
export const BLOB_LIST_MAX = 10_000;

interface InfoRow {
  path: string;
  size: number;
  mime: string;
  updated_at: string;
}

const INFO_COLS = 'path, size, mime, updated_at';

/** App files (fazt.app.s3): bytes by path, with a content type and a size cap. */
export class BlobStore implements BlobApi {
  private readonly sPut;
  private readonly sGet;
  private readonly sDel;
  private readonly sListAll;
  private readonly sListFrom;
  private readonly sListRange;

  constructor(
    private readonly db: DB,
    private readonly limits: StorageLimits,
  ) {
    this.sPut = db.prepare(
      `INSERT INTO app_blobs (app_id, user_id, path, mime, size, updated_at, data) VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (app_id, user_id, path) DO UPDATE SET mime = excluded.mime, size = excluded.size, updated_at = excluded.updated_at, data = excluded.data`,
    );
    this.sGet = db.prepare(`SELECT ${INFO_COLS}, data FROM app_blobs WHERE app_id = ? AND user_id = ? AND path = ?`);
    this.sDel = db.prepare('DELETE FROM app_blobs WHERE app_id = ? AND user_id = ? AND path = ?');
    const base = `SELECT ${INFO_COLS} FROM app_blobs WHERE app_id = ? AND user_id = ?`;
    this.sListAll = db.prepare(`${base} ORDER BY path LIMIT ?`);
    this.sListFrom = db.prepare(`${base} AND path >= ? ORDER BY path LIMIT ?`);
    this.sListRange = db.prepare(`${base} AND path >= ? AND path < ? ORDER BY path LIMIT ?`);
  }

  /** Accepts bytes or a string (stored as UTF-8), so sandbox bindings can pass either. */
  put(scope: DataScope, path: string, data: Buffer | Uint8Array | string, mime?: string): BlobInfo {
    const s = toStored(scope);
    checkBlobPath(path);
    const bytes = toBuffer(data);
    if (bytes.length > this.limits.maxBlobBytes) {
      throw new OpError('TOO_LARGE', `'${path}' is ${bytes.length} bytes; the blob limit is ${this.limits.maxBlobBytes}.`, {
        limit: this.limits.maxBlobBytes,
        size: bytes.length,
      });
    }
    let type = mimeFor(path);
    if (mime !== undefined && mime !== null && mime !== '') {
      if (typeof mime !== 'string' || !isValidMime(mime)) throw new OpError('BAD_INPUT', `'${String(mime).slice(0, 80)}' is not a valid content type.`);
      type = mime;
    }
    const updatedAt = nowIso();
    this.sPut.run(s.app, s.user, path, type, bytes.length, updatedAt, bytes);
    return { path, size: bytes.length, mime: type, updatedAt };
  }

  get(scope: DataScope, path: string): (BlobInfo & { data: Buffer }) | null {
    const s = toStored(scope);
    checkBlobPath(path);
    const r = this.sGet.get(s.app, s.user, path) as (InfoRow & { data: Buffer }) | undefined;
    return r ? { ...toInfo(r), data: r.data } : null;
  }

  delete(scope: DataScope, path: string): boolean {
    const s = toStored(scope);
    checkBlobPath(path);
    return this.sDel.run(s.app, s.user, path).changes > 0;
  }

  list(scope: DataScope, prefix = '', limit = BLOB_LIST_DEFAULT): BlobInfo[] {
    const s = toStored(scope);
    checkPrefix(prefix, PATH_MAX, 'path');
    checkListLimit(limit, BLOB_LIST_MAX);
    let rows: InfoRow[];
    if (!prefix) rows = this.sListAll.all(s.app, s.user, limit) as InfoRow[];
    else {
      const upper = prefixUpperBound(prefix);
      rows = (upper === null ? this.sListFrom.all(s.app, s.user, prefix, limit) : this.sListRange.all(s.app, s.user, prefix, upper, limit)) as InfoRow[];
    }
    return rows.map(toInfo);
  }

  deleteApp(appId: string): number {
    return this.db.prepare('DELETE FROM app_blobs WHERE app_id = ?').run(appId).changes;
  }
}

/** Relative, slash-separated paths: no leading '/', no '.' or '..' segment, no control characters. */
export function checkBlobPath(path: unknown): asserts path is string {
  const fail = (why: string) => {
    throw new OpError('BAD_INPUT', `Invalid blob path '${String(path).slice(0, 80)}': ${why}.`, { fields: [{ path: 'path', message: why }] });
  };
  if (typeof path !== 'string' || path === '') return fail('it must be a non-empty string');
  if (path.length > PATH_MAX) return fail(`it must be at most ${PATH_MAX} characters`);
  if (path.startsWith('/')) return fail("it must not start with '/'");
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(path)) return fail('it must not contain NUL or control characters');
  if (path.includes('\\')) return fail("use '/' to separate folders, not '\\'");
  if (!isWellFormed(path)) return fail('it must be well-formed Unicode');
  for (const seg of path.split('/')) {
    if (seg === '..' || seg === '.') return fail(`'${seg}' segments are not allowed`);
    if (seg === '' ) return fail('it must not contain empty segments (//) or end with /');
  }
}

function toBuffer(data: unknown): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (data instanceof Uint8Array) return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  if (data instanceof ArrayBuffer) return Buffer.from(data);
  if (typeof data === 'string') return Buffer.from(data, 'utf8');
  throw new OpError('BAD_INPUT', 'Blob data must be bytes (Buffer, Uint8Array) or a string.');
}

function toInfo(r: InfoRow): BlobInfo {
  return { path: r.path, size: r.size, mime: r.mime, updatedAt: r.updated_at };
}
