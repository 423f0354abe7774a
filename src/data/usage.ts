import type { DB } from '../store/db.js';

export interface StorageUsage {
  appId: string;
  kv: { entries: number; bytes: number };
  docs: { count: number; bytes: number };
  blobs: { count: number; bytes: number };
  totalBytes: number;
}

/** Sums what each app stores; one grouped scan per table (run on demand, not per request). */
export function storageUsage(db: DB, appId?: string): StorageUsage[] {
  const where = appId === undefined ? '' : 'WHERE app_id = @app';
  const q = (sql: string) =>
    db.prepare(`${sql} ${where} GROUP BY app_id`).all(appId === undefined ? {} : { app: appId }) as { app_id: string; n: number; bytes: number }[];
  const kv = q('SELECT app_id, count(*) AS n, coalesce(sum(length(CAST(value AS BLOB)) + length(CAST(key AS BLOB))), 0) AS bytes FROM app_kv');
  const docs = q('SELECT app_id, count(*) AS n, coalesce(sum(length(CAST(doc AS BLOB))), 0) AS bytes FROM app_docs');
  const blobs = q('SELECT app_id, count(*) AS n, coalesce(sum(size), 0) AS bytes FROM app_blobs');
  const by = new Map<string, StorageUsage>();
  const get = (id: string) => {
    let u = by.get(id);
    if (!u) by.set(id, (u = { appId: id, kv: { entries: 0, bytes: 0 }, docs: { count: 0, bytes: 0 }, blobs: { count: 0, bytes: 0 }, totalBytes: 0 }));
    return u;
  };
  for (const r of kv) get(r.app_id).kv = { entries: r.n, bytes: r.bytes };
  for (const r of docs) get(r.app_id).docs = { count: r.n, bytes: r.bytes };
  for (const r of blobs) get(r.app_id).blobs = { count: r.n, bytes: r.bytes };
  if (appId !== undefined) get(appId);
  for (const u of by.values()) u.totalBytes = u.kv.bytes + u.docs.bytes + u.blobs.bytes;
  return [...by.values()].sort((a, b) => b.totalBytes - a.totalBytes);
}
