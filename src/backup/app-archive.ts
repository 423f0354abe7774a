import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { createGunzip, createGzip } from 'node:zlib';
import type { DB } from '../store/db.js';
import { nowIso } from '../store/db.js';

/**
 * One app as a portable file: gzipped JSON lines, a header then one row per line
 * (binary columns as base64). Tables are listed here so a new app-scoped table
 * is one line; rows are read and written a few at a time, never all at once.
 */
export const APP_TABLES: { table: string; where: string }[] = [
  { table: 'app_versions', where: 'app_id = ?' },
  { table: 'version_files', where: 'app_id = ?' },
  { table: 'blobs', where: 'sha256 IN (SELECT DISTINCT sha256 FROM version_files WHERE app_id = ?)' },
  { table: 'app_registrations', where: 'app_id = ?' },
  { table: 'app_event_grants', where: 'app_id = ?' },
  { table: 'app_kv', where: 'app_id = ?' },
  { table: 'app_docs', where: 'app_id = ?' },
  { table: 'app_blobs', where: 'app_id = ?' },
];

export interface AppArchiveHeader {
  format: 'fazt-app/1';
  faztVersion: string;
  exportedAt: string;
  app: { slug: string; name: string; activeVersion: number | null };
  schema: Record<string, number>;
}

function tableExists(db: DB, t: string): boolean {
  return !!db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(t);
}

function encodeRow(row: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(row)) out[k] = Buffer.isBuffer(v) ? { $b64: v.toString('base64') } : v;
  return out;
}

function decodeRow(row: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(row)) out[k] = v && typeof v === 'object' && '$b64' in v ? Buffer.from((v as { $b64: string }).$b64, 'base64') : v;
  return out;
}

export async function exportApp(db: DB, app: { id: string; slug: string; name: string; activeVersion: number | null }, header: Omit<AppArchiveHeader, 'app' | 'format'>, out: string): Promise<{ rows: Record<string, number>; bytes: number; sha256: string }> {
  const rows: Record<string, number> = {};
  const app_id = app.id;
  function* lines(): Generator<string> {
    yield JSON.stringify({ format: 'fazt-app/1', ...header, app: { slug: app.slug, name: app.name, activeVersion: app.activeVersion } }) + '\n';
    for (const { table, where } of APP_TABLES) {
      if (!tableExists(db, table)) continue;
      rows[table] = 0;
      for (const row of db.prepare(`SELECT * FROM ${table} WHERE ${where}`).iterate(app_id) as Iterable<Record<string, unknown>>) {
        rows[table]++;
        // The app's id is the importing server's to choose.
        const r = { ...row };
        if ('app_id' in r) delete r.app_id;
        yield JSON.stringify({ t: table, r: encodeRow(r) }) + '\n';
      }
    }
  }
  await pipeline(Readable.from(lines()), createGzip({ level: 6 }), createWriteStream(out, { mode: 0o600 }));
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const c of createReadStream(out)) {
    hash.update(c as Buffer);
    bytes += (c as Buffer).length;
  }
  return { rows, bytes, sha256: hash.digest('hex') };
}

export class AppArchiveError extends Error {}

/** Reads the header line (to decide the slug and check the format) without reading the rest. */
export async function readAppHeader(file: string): Promise<AppArchiveHeader> {
  const rl = createInterface({ input: createReadStream(file).pipe(createGunzip()), crlfDelay: Infinity });
  try {
    for await (const line of rl) {
      const h = JSON.parse(line) as AppArchiveHeader;
      if (h.format !== 'fazt-app/1') throw new AppArchiveError(`${file} is not a fazt app export (format ${String(h.format)}).`);
      return h;
    }
  } catch (err) {
    if (err instanceof AppArchiveError) throw err;
    // The reason is not echoed: it could quote the file, which may be any file the server can read.
    throw new AppArchiveError(`${file} is not a readable fazt app export.`);
  } finally {
    rl.close();
  }
  throw new AppArchiveError(`${file} is empty.`);
}

/** Inserts every row under a new app id, in one transaction: an import lands whole or not at all. */
export async function importApp(db: DB, file: string, slug: string, name: string): Promise<{ id: string; rows: Record<string, number>; activeVersion: number | null }> {
  const header = await readAppHeader(file);
  const id = 'app_' + randomBytes(8).toString('hex');
  const rows: Record<string, number> = {};
  const stmts = new Map<string, ReturnType<DB['prepare']>>();
  const insert = (table: string, row: Record<string, unknown>) => {
    const cols = Object.keys(row);
    const key = table + ':' + cols.join(',');
    let st = stmts.get(key);
    if (!st) {
      const withApp = table !== 'blobs';
      const names = withApp ? ['app_id', ...cols] : cols;
      // Content-addressed file bytes may already be here from another app.
      st = db.prepare(`INSERT ${table === 'blobs' ? 'OR IGNORE ' : ''}INTO ${table} (${names.join(', ')}) VALUES (${names.map(() => '?').join(', ')})`);
      stmts.set(key, st);
    }
    const values: unknown[] = [...(table === 'blobs' ? [] : [id]), ...cols.map((c) => row[c])];
    (st.run as (...a: unknown[]) => unknown)(...values);
    rows[table] = (rows[table] ?? 0) + 1;
  };
  const known = new Set(APP_TABLES.map((t) => t.table));
  // Read first, then write in one synchronous transaction: nothing else on this connection
  // may run inside it (an await there would let other requests' writes join it).
  const records: { t: string; r: Record<string, unknown> }[] = [];
  const rl = createInterface({ input: createReadStream(file).pipe(createGunzip()), crlfDelay: Infinity });
  let first = true;
  try {
    for await (const line of rl) {
      if (first || !line) {
        first = false;
        continue;
      }
      const rec = JSON.parse(line) as { t: string; r: Record<string, unknown> };
      if (!known.has(rec.t)) throw new AppArchiveError(`The export holds rows for '${rec.t}', which this fazt does not import.`);
      if (!tableExists(db, rec.t)) throw new AppArchiveError(`The export holds rows for '${rec.t}', a table this fazt does not have.`);
      records.push(rec);
    }
  } catch (err) {
    if (err instanceof AppArchiveError) throw err;
    throw new AppArchiveError(`${file} is not a readable fazt app export.`);
  }
  try {
    db.transaction(() => {
      const now = nowIso();
      db.prepare('INSERT INTO apps (id, slug, name, system, created_at, updated_at) VALUES (?, ?, ?, 0, ?, ?)').run(id, slug, name, now, now);
      for (const rec of records) insert(rec.t, decodeRow(rec.r));
      if (header.app.activeVersion !== null) db.prepare('UPDATE apps SET active_version = ? WHERE id = ?').run(header.app.activeVersion, id);
    })();
  } catch (err) {
    throw new AppArchiveError(`The app export could not be imported: ${(err as Error).message}`);
  }
  return { id, rows, activeVersion: header.app.activeVersion };
}
