/**
 * kv and document store throughput through fazt's storage services, against raw
 * better-sqlite3 prepared statements doing the same work on an identical table
 * (same schema, same JSON encoding, WAL + synchronous=NORMAL data dir), in the same run.
 *
 *   node dist/bench/storage-kv-ds.js [--quick]
 *
 * The raw find asks for the same thing fazt's find does: insertion order, a page of 100.
 * Each pair runs alternately for several rounds and the median is kept, so drift
 * (page cache, CPU frequency) hits both sides alike.
 */
import { rmSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStores } from '../src/data/open-stores.js';
import { openDatabase } from '../src/store/db.js';

const quick = process.argv.includes('--quick');
const ROUNDS = quick ? 3 : 5;
const N = {
  kvSetAuto: quick ? 5_000 : 20_000,
  kvSetTx: quick ? 20_000 : 100_000,
  kvGet: quick ? 50_000 : 200_000,
  dsInsert: quick ? 5_000 : 20_000,
  dsFind: quick ? 10_000 : 50_000,
  docs: 100_000,
  scans: quick ? 5 : 20,
};

const root = mkdtempSync(join(tmpdir(), 'fazt-bench-storage-'));
process.on('exit', () => rmSync(root, { recursive: true, force: true }));

const fazt = openStores({ dataDir: join(root, 'fazt'), limits: { autoIndexAfter: 0 } });
const raw = openDatabase(join(root, 'raw'));
raw.exec(`
  CREATE TABLE kv (app_id TEXT NOT NULL, user_id TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL,
    expires_at INTEGER, updated_at INTEGER NOT NULL, PRIMARY KEY (app_id, user_id, key));
  CREATE TABLE docs (app_id TEXT NOT NULL, user_id TEXT NOT NULL, collection TEXT NOT NULL, id TEXT NOT NULL,
    doc TEXT NOT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL, PRIMARY KEY (app_id, user_id, collection, id));
`);
const rawKvSet = raw.prepare(
  `INSERT INTO kv (app_id, user_id, key, value, expires_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)
   ON CONFLICT (app_id, user_id, key) DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at, updated_at = excluded.updated_at`,
);
const rawKvGet = raw.prepare('SELECT value, expires_at FROM kv WHERE app_id = ? AND user_id = ? AND key = ?');
const rawDocInsert = raw.prepare('INSERT INTO docs (app_id, user_id, collection, id, doc, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)');
const rawDocFind = raw
  .prepare("SELECT doc FROM docs WHERE app_id = ? AND user_id = ? AND collection = ? AND json_extract(doc, '$.slug') = ? ORDER BY rowid LIMIT ? OFFSET ?")
  .pluck();

const S = { appId: 'app_bench' };
const APP = 'app_bench';
let seq = 0;
const value = (i: number) => ({ n: i, name: `user-${i}`, tags: ['a', 'b'] });

function rate(n: number, fn: (i: number) => void): number {
  const t0 = performance.now();
  for (let i = 0; i < n; i++) fn(i);
  return n / ((performance.now() - t0) / 1000);
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

interface Row {
  name: string;
  fazt: number;
  raw: number;
}
const rows: Row[] = [];

function pair(name: string, faztRun: () => number, rawRun: () => number): void {
  const f: number[] = [];
  const r: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    if (round % 2) (r.push(rawRun()), f.push(faztRun()));
    else (f.push(faztRun()), r.push(rawRun()));
  }
  rows.push({ name, fazt: median(f), raw: median(r) });
  process.stderr.write(`  ${name} done\n`);
}

// kv set, one transaction per call (what a request handler does).
pair(
  'kv set (autocommit)',
  () => rate(N.kvSetAuto, (i) => fazt.kv.set(S, `k${i}`, value(i + seq++))),
  () => rate(N.kvSetAuto, (i) => rawKvSet.run(APP, '', `k${i}`, JSON.stringify(value(i + seq++)), null, Date.now())),
);

// kv set inside one transaction: no commit cost, so the per-call overhead shows.
pair(
  'kv set (in a transaction)',
  () => fazt.db.transaction(() => rate(N.kvSetTx, (i) => fazt.kv.set(S, `t${i}`, value(i))))(),
  () => raw.transaction(() => rate(N.kvSetTx, (i) => rawKvSet.run(APP, '', `t${i}`, JSON.stringify(value(i)), null, Date.now())))(),
);

pair(
  'kv get',
  () =>
    rate(N.kvGet, (i) => {
      if (fazt.kv.get(S, `t${i % N.kvSetTx}`) === null) throw new Error('missing key');
    }),
  () =>
    rate(N.kvGet, (i) => {
      const row = rawKvGet.get(APP, '', `t${i % N.kvSetTx}`) as { value: string; expires_at: number | null } | undefined;
      if (!row) throw new Error('missing key');
      if (row.expires_at !== null && row.expires_at <= Date.now()) throw new Error('expired');
      JSON.parse(row.value);
    }),
);

let docSeq = 0;
const doc = (i: number) => ({ slug: `post-${i}`, title: `Post number ${i}`, email: `u${i}@example.com`, views: i % 1000, author: { name: `a${i % 50}` } });

pair(
  'ds insert (autocommit)',
  () => rate(N.dsInsert, () => fazt.ds.insert(S, 'scratch', doc(docSeq++))),
  () =>
    rate(N.dsInsert, () => {
      const i = docSeq++;
      const now = new Date().toISOString();
      rawDocInsert.run(APP, '', 'scratch', `id${i}`, JSON.stringify({ id: `id${i}`, ...doc(i) }), now, now);
    }),
);

// 100k documents in one collection on each side.
process.stderr.write(`  loading ${N.docs} documents…\n`);
const loadFazt = fazt.db.transaction(() => rate(N.docs, (i) => fazt.ds.insert(S, 'posts', doc(i))));
const loadRaw = raw.transaction(() =>
  rate(N.docs, (i) => {
    const now = new Date().toISOString();
    rawDocInsert.run(APP, '', 'posts', `id${i}`, JSON.stringify({ id: `id${i}`, ...doc(i) }), now, now);
  }),
);
rows.push({ name: `ds insert (in a transaction, ${N.docs / 1000}k docs)`, fazt: loadFazt(), raw: loadRaw() });
// Both sides index the field after loading, as an app declaring it in its manifest would.
fazt.ds.ensureIndex(APP, 'posts', 'slug');
raw.exec("CREATE INDEX docs_slug ON docs(app_id, user_id, collection, json_extract(doc, '$.slug'))");

pair(
  'ds find by indexed field',
  () =>
    rate(N.dsFind, (i) => {
      if (fazt.ds.find(S, 'posts', { slug: `post-${(i * 7919) % N.docs}` }).length !== 1) throw new Error('not found');
    }),
  () =>
    rate(N.dsFind, (i) => {
      const docs = (rawDocFind.all(APP, '', 'posts', `post-${(i * 7919) % N.docs}`, 100, 0) as string[]).map((d) => JSON.parse(d));
      if (docs.length !== 1) throw new Error('not found');
    }),
);

const plan = fazt.ds.explain(S, 'posts', { slug: 'post-1' }).join('; ');
const indexed = rate(N.dsFind, (i) => fazt.ds.find(S, 'posts', { slug: `post-${(i * 7919) % N.docs}` }));
const unindexed = rate(N.scans, (i) => {
  if (fazt.ds.find(S, 'posts', { email: `u${(i * 7919) % N.docs}@example.com` }).length !== 1) throw new Error('not found');
});

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const w = Math.max(...rows.map((r) => r.name.length));
console.log(`\nstorage: fazt services vs raw better-sqlite3 (WAL, synchronous=NORMAL), median of ${ROUNDS} rounds\n`);
console.log(`${'operation'.padEnd(w)}  ${'fazt ops/s'.padStart(12)}  ${'raw ops/s'.padStart(12)}  ratio`);
console.log(`${'-'.repeat(w)}  ${'-'.repeat(12)}  ${'-'.repeat(12)}  -----`);
for (const r of rows) console.log(`${r.name.padEnd(w)}  ${fmt(r.fazt).padStart(12)}  ${fmt(r.raw).padStart(12)}  ${(r.fazt / r.raw).toFixed(2)}×`);
console.log(`\nds find on ${N.docs / 1000}k docs, fazt: by indexed field ${fmt(indexed)} ops/s, by unindexed field ${fmt(unindexed)} ops/s (${(indexed / unindexed).toFixed(0)}× faster with the index)`);
console.log(`plan for the indexed lookup: ${plan}`);
const kvRatios = rows.filter((r) => r.name.startsWith('kv')).map((r) => r.fazt / r.raw);
console.log(`kv goal ≥ 0.70× raw: ${kvRatios.every((x) => x >= 0.7) ? 'met' : 'NOT met'} (lowest ${Math.min(...kvRatios).toFixed(2)}×)`);
fazt.db.close();
raw.close();
