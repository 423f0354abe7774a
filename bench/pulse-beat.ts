/**
 * Cost of one pulse beat (wall and CPU ms) on a server with 100 apps, traffic on
 * each and 1 M log rows, against a beat on an empty server in the same run.
 * Run: node dist/bench/pulse-beat.js
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bootServer, type RunningServer } from '../src/server/boot.js';

const BEATS = Number(process.env.BENCH_BEATS ?? 15);
const LOG_ROWS = Number(process.env.BENCH_LOG_ROWS ?? 1_000_000);
const APPS = 100;

async function boot(): Promise<{ server: RunningServer; dir: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'fazt-bench-beat-'));
  return { server: await bootServer({ dataDir: dir, port: 0, seedExample: false, extra: { 'pulse.interval': '1h' } }), dir };
}

function fillLogs(server: RunningServer, rows: number, appIds: string[]): void {
  const db = server.kernel.db;
  if (!db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'logs'").get()) {
    db.exec('CREATE TABLE logs (id INTEGER PRIMARY KEY, at TEXT NOT NULL, app_id TEXT, level TEXT NOT NULL, message TEXT NOT NULL, fields TEXT, request_id TEXT)');
  }
  const ins = db.prepare('INSERT INTO logs (at, app_id, level, message) VALUES (?, ?, ?, ?)');
  const t0 = Date.now() - 86_400_000;
  const batch = db.transaction((from: number, to: number) => {
    for (let i = from; i < to; i++) ins.run(new Date(t0 + i * 50).toISOString(), appIds[i % appIds.length], i % 50 ? 'info' : 'error', `request handled in ${i % 97} ms`);
  });
  for (let i = 0; i < rows; i += 100_000) batch(i, Math.min(rows, i + 100_000));
}

function traffic(server: RunningServer, slugs: string[]): void {
  for (const slug of slugs) {
    for (let i = 0; i < 50; i++) {
      server.kernel.requests.emit({ appId: null, slug, kind: 'static', method: 'GET', path: '/', status: i % 25 ? 200 : 500, durationMs: 1 + (i % 40), bytes: 1000, requestId: 'r' });
    }
  }
}

async function measure(server: RunningServer, slugs: string[]): Promise<{ wall: number[]; cpu: number[] }> {
  const wall: number[] = [];
  const cpu: number[] = [];
  await server.kernel.services.pulse.beat(); // warm-up
  for (let i = 0; i < BEATS; i++) {
    traffic(server, slugs);
    const b = await server.kernel.services.pulse.beat();
    wall.push(b.cost.wallMs);
    cpu.push(b.cost.cpuMs);
  }
  return { wall, cpu };
}

const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const p90 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.9)];

async function main(): Promise<void> {
  const empty = await boot();
  const base = await measure(empty.server, []);
  await empty.server.stop();
  rmSync(empty.dir, { recursive: true, force: true });

  const full = await boot();
  try {
    const apps = full.server.kernel.services.apps;
    const slugs: string[] = [];
    const ids: string[] = [];
    for (let i = 0; i < APPS; i++) {
      const a = apps.create(`app ${i}`, `app-${i}`);
      slugs.push(a.slug);
      ids.push(a.id);
    }
    const t0 = Date.now();
    fillLogs(full.server, LOG_ROWS, ids);
    const fillMs = Date.now() - t0;
    const loaded = await measure(full.server, slugs);
    const last = full.server.kernel.services.pulse.store.latest()!;
    const storage = last.metrics.storage as Record<string, number>;
    const beatBytes = (full.server.kernel.db.prepare('SELECT LENGTH(metrics) + LENGTH(analysis) AS n FROM pulse_beats ORDER BY id DESC LIMIT 1').get() as { n: number }).n;
    console.log(`pulse beat cost, ${BEATS} beats each after a warm-up (logs filled in ${fillMs} ms)`);
    console.log('| server | wall ms (median) | wall ms (p90) | CPU ms (median) | CPU ms (p90) |');
    console.log('|---|---:|---:|---:|---:|');
    console.log(`| empty (baseline) | ${med(base.wall)} | ${p90(base.wall)} | ${med(base.cpu)} | ${p90(base.cpu)} |`);
    console.log(`| ${APPS} apps with traffic, ${storage.logsRows} log rows, ${storage.dbMb} MB db | ${med(loaded.wall)} | ${p90(loaded.wall)} | ${med(loaded.cpu)} | ${p90(loaded.cpu)} |`);
    console.log(`ratio loaded/empty: wall ${(med(loaded.wall) / med(base.wall)).toFixed(2)}×, CPU ${(med(loaded.cpu) / med(base.cpu)).toFixed(2)}×`);
    console.log(`stored beat size: ${(beatBytes / 1024).toFixed(1)} KB; issues on the last beat: ${last.analysis.issues.length}`);
    const slow = Object.entries(last.collectors).sort((a, b) => b[1].ms - a[1].ms).slice(0, 3);
    console.log(`slowest collectors: ${slow.map(([n, c]) => `${n} ${c.ms} ms`).join(', ')}`);
  } finally {
    await full.server.stop();
    rmSync(full.dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
