/**
 * App-scoped storage contracts. Every call names the app (and optionally a user
 * inside it); implementations never let one scope read another's rows.
 * All calls are synchronous (better-sqlite3), so sandbox bindings can be plain host calls.
 */
export interface DataScope {
  appId: string;
  /** Set for fazt.app.user.*: the same API isolated per signed-in user. */
  userId?: string;
}

export interface KvEntry {
  key: string;
  value: unknown;
  expiresAt: string | null;
}

export interface KvApi {
  get(scope: DataScope, key: string): unknown | null;
  set(scope: DataScope, key: string, value: unknown, ttlMs?: number): void;
  delete(scope: DataScope, key: string): boolean;
  list(scope: DataScope, prefix?: string, limit?: number): KvEntry[];
}

export type Doc = Record<string, unknown> & { id: string };

export interface FindOptions {
  sort?: Record<string, 1 | -1 | 'asc' | 'desc'>;
  limit?: number;
  skip?: number;
}

export interface DsApi {
  /** Inserts a document; an `id` is generated unless given. Returns the stored document. */
  insert(scope: DataScope, collection: string, doc: Record<string, unknown>): Doc;
  find(scope: DataScope, collection: string, query?: Record<string, unknown>, opts?: FindOptions): Doc[];
  findOne(scope: DataScope, collection: string, query?: Record<string, unknown>): Doc | null;
  /** Applies `changes` (a shallow merge, or `$set`/`$unset`/`$inc`) to matching documents; returns how many. */
  update(scope: DataScope, collection: string, query: Record<string, unknown>, changes: Record<string, unknown>): number;
  delete(scope: DataScope, collection: string, query: Record<string, unknown>): number;
  count(scope: DataScope, collection: string, query?: Record<string, unknown>): number;
  /** Makes lookups by `field` fast (an app's manifest declares `"ds": {"indexes": {"posts": ["slug"]}}`). */
  ensureIndex(appId: string, collection: string, field: string): void;
}

export interface BlobInfo {
  path: string;
  size: number;
  mime: string;
  updatedAt: string;
}

export interface BlobApi {
  put(scope: DataScope, path: string, data: Buffer, mime?: string): BlobInfo;
  get(scope: DataScope, path: string): (BlobInfo & { data: Buffer }) | null;
  delete(scope: DataScope, path: string): boolean;
  list(scope: DataScope, prefix?: string, limit?: number): BlobInfo[];
}

declare module '../kernel/services.js' {
  interface Services {
    kv: KvApi;
    ds: DsApi;
    blobs: BlobApi;
  }
}
