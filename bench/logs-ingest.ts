/**
 * Log ingestion: lines/s sustained through kernel.services.logs.write, alone and
 * while the server serves static requests (wrk), and what it costs request latency.
 * Run: node dist/bench/logs-ingest.js [seconds per phase, default 5]
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bootServer } from '../src/server/boot.js';
import { parseWrk, type WrkResult } from './wrk.js';

const SECONDS = Number(process.argv[2] ?? 5);
const dir = mkdtempSync(join(tmpdir(), 'fazt-bench-logs-'));
const server = await bootServer({ port: 0, dataDir: dir, seedExample: false });
const { kernel } = server;
const logs = kernel.services.logs;
const appId = kernel.services.apps.find('root')!.id;



function wrk(seconds: number): Promise<WrkResult> {
  return new Promise((resolve, reject) => {
    const p = spawn('wrk', ['-t1', '-c32', `-d${seconds}s`, '--latency', `${server.url}/`]);
    let out = '';
    p.stdout.on('data', (d) => (out += d));
    p.on('error', reject);
    p.on('close', () => {
      const { rps, p50, p99 } = parseWrk(out);
      if (!rps) reject(new Error(`wrk failed:\n${out}`));
      else resolve({ rps, p50, p99 });
    });
  });
}

/** Writes lines until stopped: at `rate` lines/s (catching up after a late tick), or flat out when rate is 0. */
function ingest(rate: number): { stop: () => number } {
  let n = 0;
  let running = true;
  const t0 = performance.now();
  const line = () => {
    logs.write({ appId, level: n % 10 === 0 ? 'error' : 'info', message: `order ${n} processed`, fields: { orderId: n, ms: 12 }, requestId: 'bench' });
    n++;
  };
  const loop = () => {
    if (!running) return;
    if (rate === 0) {
      for (let i = 0; i < 200; i++) line();
      setImmediate(loop);
    } else {
      const due = Math.floor(((performance.now() - t0) / 1000) * rate);
      while (n < due) line();
      setTimeout(loop, 5);
    }
  };
  loop();
  return {
    stop: () => {
      running = false;
      logs.flush();
      return n;
    },
  };
}

const rows: { phase: string; rps: string; p50: string; p99: string; lines: string }[] = [];
const fmt = (n: number, d = 0) => n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });

// Warm up the static cache and the JIT.
await wrk(1);

// 1. Ingestion alone.
{
  const t0 = performance.now();
  const run = ingest(0);
  await new Promise((r) => setTimeout(r, SECONDS * 1000));
  const n = run.stop();
  rows.push({ phase: 'ingest only (max rate)', rps: '-', p50: '-', p99: '-', lines: fmt(n / ((performance.now() - t0) / 1000)) });
}

// 2. Serving with ingestion, each phase between two baselines (serving alone) so a
// busy machine shifts both sides alike; ratios are against the mean of the two.
const phases: [string, number][] = [
  ['serve + 1k lines/s', 1_000],
  ['serve + 10k lines/s', 10_000],
  ['serve + max-rate ingest', 0],
];
const measured: { name: string; w: WrkResult; base: WrkResult }[] = [];
let before = await wrk(SECONDS);
rows.push({ phase: 'serve only (baseline)', rps: fmt(before.rps), p50: fmt(before.p50, 3), p99: fmt(before.p99, 3), lines: '-' });
for (const [name, rate] of phases) {
  const t0 = performance.now();
  const run = ingest(rate);
  const w = await wrk(SECONDS);
  const n = run.stop();
  const lps = n / ((performance.now() - t0) / 1000);
  rows.push({ phase: name, rps: fmt(w.rps), p50: fmt(w.p50, 3), p99: fmt(w.p99, 3), lines: fmt(lps) });
  const after = await wrk(SECONDS);
  rows.push({ phase: 'serve only (baseline)', rps: fmt(after.rps), p50: fmt(after.p50, 3), p99: fmt(after.p99, 3), lines: '-' });
  const mean = (k: keyof WrkResult) => (before[k] + after[k]) / 2;
  measured.push({ name, w, base: { rps: mean('rps'), p50: mean('p50'), p99: mean('p99') } });
  before = after;
}

const stored = (kernel.db.prepare('SELECT COUNT(*) AS c FROM logs').get() as { c: number }).c;
const access = (kernel.db.prepare('SELECT COUNT(*) AS c FROM access_logs').get() as { c: number }).c;

const w = { phase: 26, rps: 10, p50: 10, p99: 10, lines: 12 };
console.log(`\nLog ingestion (node ${process.version}, ${SECONDS}s per phase, wrk -t1 -c32 GET / static, same process)`);
console.log(`${'phase'.padEnd(w.phase)} ${'req/s'.padStart(w.rps)} ${'p50 ms'.padStart(w.p50)} ${'p99 ms'.padStart(w.p99)} ${'lines/s'.padStart(w.lines)}`);
for (const r of rows) console.log(`${r.phase.padEnd(w.phase)} ${r.rps.padStart(w.rps)} ${r.p50.padStart(w.p50)} ${r.p99.padStart(w.p99)} ${r.lines.padStart(w.lines)}`);
console.log('\nratios against the surrounding baselines (same run):');
for (const m of measured) {
  console.log(
    `  ${m.name.padEnd(24)} throughput ${(m.w.rps / m.base.rps).toFixed(2)}×   p50 ${(m.w.p50 / m.base.p50).toFixed(2)}×   p99 ${(m.w.p99 / m.base.p99).toFixed(2)}×`,
  );
}
console.log(`\nrows stored: ${fmt(stored)} log lines, ${fmt(access)} access lines (successful static hits are counted per 10 s window)`);

await server.stop();
rmSync(dir, { recursive: true, force: true });
