/**
 * Backup benchmark: snapshot time and bytes for a large data.db spread over many
 * apps, and the serving p99 of a static page during a snapshot versus without one
 * (target ≤ 2×), measured in the same run against the same server process.
 *
 *   node dist/bench/backup.js [--mb 200] [--apps 100] [--concurrency 4]
 */
import Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import { Agent, request } from 'node:http';
import { join } from 'node:path';
import { BIN } from '../test/helpers/paths.js';
import { tempDir } from '../test/helpers/temp.js';
import { readClientConfig } from '../src/server/client-config.js';
import { percentile } from './paired.js';
import { startProcess } from './wrk.js';

function flag(name: string, def: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : def;
}

const MB = flag('mb', 200);
const APPS = flag('apps', 100);
const CONCURRENCY = flag('concurrency', 4);
const ROW_BYTES = 64 * 1024;

async function startFazt(dataDir: string) {
  const { child, match } = await startProcess([BIN, 'server', 'start', '--port', '0', '--data', dataDir], /running at (http:\/\/\S+)/);
  return { child, url: match[1], stop: () => new Promise<void>((r) => (child.once('exit', () => r()), child.kill('SIGTERM'))) };
}

async function op(url: string, token: string, name: string, input: unknown): Promise<any> {
  const res = await fetch(`${url}/api/ops/${name}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(input) });
  const body = await res.json();
  if (res.status !== 200) throw new Error(`${name}: ${JSON.stringify(body)}`);
  return body;
}

/** App data written straight into the stopped data dir: half random, half repetitive, like real content. */
function fill(dataDir: string): void {
  const db = new Database(join(dataDir, 'data.db'));
  db.pragma('journal_mode = WAL');
  const rows = Math.ceil((MB * 1024 * 1024) / ROW_BYTES);
  const insert = db.prepare('INSERT INTO app_blobs (app_id, user_id, path, mime, size, updated_at, data) VALUES (?, ?, ?, ?, ?, ?, ?)');
  const apps = db.prepare('SELECT id FROM apps WHERE system = 0 ORDER BY slug').all() as { id: string }[];
  const now = new Date().toISOString();
  const tx = db.transaction((from: number, to: number) => {
    for (let i = from; i < to; i++) {
      const data = Buffer.concat([randomBytes(ROW_BYTES / 2), Buffer.alloc(ROW_BYTES / 2, i % 251)]);
      insert.run(apps[i % apps.length].id, '', `file-${i}.bin`, 'application/octet-stream', data.length, now, data);
    }
  });
  for (let i = 0; i < rows; i += 1000) tx(i, Math.min(rows, i + 1000));
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
}

/** Sequential keep-alive GETs on `concurrency` connections until stop() says so; returns every latency (ms). */
function load(url: string, host: string): { stop: () => Promise<number[]> } {
  const u = new URL(url);
  const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const lat: number[] = [];
  let running = true;
  const one = () =>
    new Promise<void>((resolve, reject) => {
      const t = performance.now();
      const req = request({ hostname: u.hostname, port: u.port, path: '/', headers: { host }, agent }, (res) => {
        res.resume();
        res.on('end', () => (lat.push(performance.now() - t), resolve()));
      });
      req.on('error', reject);
      req.end();
    });
  const loops = Array.from({ length: CONCURRENCY }, async () => {
    while (running) await one();
  });
  return {
    async stop() {
      running = false;
      await Promise.all(loops);
      agent.destroy();
      return lat;
    },
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function main(): Promise<void> {
  const tmp = tempDir('fazt-bench-backup-');
  try {
    let srv = await startFazt(tmp.dir);
    const { token } = readClientConfig(tmp.dir)!;
    for (let i = 0; i < APPS; i++) await op(srv.url, token, 'deploy', { app: `app${String(i).padStart(3, '0')}`, files: [{ path: 'index.html', content: `<h1>app ${i}</h1>` }] });
    await srv.stop();
    const t0 = performance.now();
    fill(tmp.dir);
    const fillMs = performance.now() - t0;
    srv = await startFazt(tmp.dir);
    const host = 'app000.localhost';
    // Warm up, then serve without a snapshot.
    await (await load(srv.url, host)).stop();
    const before = load(srv.url, host);
    await sleep(2000);
    const latBefore = await before.stop();

    const during = load(srv.url, host);
    const b = await op(srv.url, token, 'backup.create', { note: 'bench' });
    const latDuring = await during.stop();
    const quiet = load(srv.url, host);
    await sleep(Math.max(2000, b.ms));
    // Without a snapshot: the runs just before and just after it, so a noisy moment on the machine hits both sides.
    const latQuiet = [...latBefore, ...(await quiet.stop())];
    await srv.stop();

    const p = (xs: number[], q: number) => percentile(xs, q).toFixed(2);
    const rows: [string, string][] = [
      ['data.db (MB)', (b.dbBytes / 1048576).toFixed(1)],
      ['apps', String(APPS)],
      ['fill time (s)', (fillMs / 1000).toFixed(1)],
      ['snapshot + gzip + store (ms)', String(b.ms)],
      ['throughput (MB/s of data.db)', (b.dbBytes / 1048576 / (b.ms / 1000)).toFixed(1)],
      ['archive bytes', String(b.bytes)],
      ['compression ratio', (b.dbBytes / b.bytes).toFixed(2)],
      ['requests without snapshot', String(latQuiet.length)],
      ['requests during snapshot', String(latDuring.length)],
      ['p50 without / during (ms)', `${p(latQuiet, 0.5)} / ${p(latDuring, 0.5)}`],
      ['p99 without / during (ms)', `${p(latQuiet, 0.99)} / ${p(latDuring, 0.99)}`],
    ];
    const w = Math.max(...rows.map(([k]) => k.length));
    console.log(`backup bench: --mb ${MB} --apps ${APPS} --concurrency ${CONCURRENCY} (gzip level 3; Node ${process.version} has no zstd)`);
    for (const [k, v] of rows) console.log(`  ${k.padEnd(w)}  ${v}`);
    const ratio = percentile(latDuring, 0.99) / percentile(latQuiet, 0.99);
    console.log(`  ${'p99 ratio during / without'.padEnd(w)}  ${ratio.toFixed(2)}x (target <= 2x)`);
  } finally {
    tmp.cleanup();
  }
}

await main();
