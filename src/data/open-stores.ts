import Database from 'better-sqlite3';
import { openDatabase, type DB } from '../store/db.js';
import { migrate } from '../store/migrations.js';
import { BlobStore } from './blob-store.js';
import { DocStore } from './ds/doc-store.js';
import { KvStore } from './kv-store.js';
import { DEFAULT_LIMITS, type StorageLimits } from './limits.js';
import { dataMigrations } from './migrations.js';

/**
 * The three stores on their own database, without a kernel: for unit tests
 * (in memory) and benchmarks (a WAL file in `dataDir`, like the server's).
 */
export function openStores(opts: { dataDir?: string; limits?: Partial<StorageLimits> } = {}) {
  const db: DB = opts.dataDir ? openDatabase(opts.dataDir) : new Database(':memory:');
  migrate(db, [{ name: 'data', migrations: dataMigrations }]);
  const limits = { ...DEFAULT_LIMITS, ...opts.limits };
  return { db, limits, kv: new KvStore(db, limits), ds: new DocStore(db, limits), blobs: new BlobStore(db, limits) };
}
