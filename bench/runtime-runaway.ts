/**
 * How a calm app fares while another app loops until its time limit: latency
 * of sequential /api requests to the calm app, alone (the baseline) and while
 * a client keeps 2 or 6 requests to a looping app in flight, with the
 * default sandbox workers (2, more on demand). Same run, same machine. The
 * goal is a calm p99 within 2× of its idle p99; note that each looping
 * worker really occupies a CPU core, so on a machine with few cores the calm
 * app also competes for CPU, which no queueing can give back.
 *
 *   node dist/bench/runtime-runaway.js [seconds=5] [loopTimeoutMs=500]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { bootServer, type RunningServer } from '../src/server/boot.js';

const seconds = Number(process.argv[2] ?? 5);
const loopMs = Number(process.argv[3] ?? 500);

function get(url: string, host: string): Promise<number> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request({ hostname: u.hostname, port: u.port, path: u.pathname, headers: { host } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end();
  });
}

async function deploy(s: RunningServer, app: string, files: Record<string, string>): Promise<void> {
  const res = await fetch(`${s.url}/api/ops/deploy`, {
    method: 'POST',
    headers: { authorization: `Bearer ${s.ownerKey!}`, 'content-type': 'application/json' },
    body: JSON.stringify({ app, files: Object.entries(files).map(([path, content]) => ({ path, content })) }),
  });
  if (res.status !== 200) throw new Error(`deploy failed: ${await res.text()}`);
}

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];

/** Calm-app latencies (ms) for `seconds` while `looping` requests to the loop app stay in flight. */
async function measure(looping: number) {
  const dir = mkdtempSync(join(tmpdir(), 'fazt-bench-'));
  const s = await bootServer({ port: 0, dataDir: dir, seedExample: false });
  await deploy(s, 'calm', { 'api/main.js': 'export default () => ({ body: { ok: true } })' });
  await deploy(s, 'loop', { 'api/main.js': 'export default () => { while (true) {} }', 'manifest.json': JSON.stringify({ limits: { timeoutMs: loopMs } }) });
  for (let i = 0; i < 50; i++) await get(`${s.url}/api/x`, 'calm.localhost'); // warm
  let running = true;
  let loops = 0;
  const client = async () => {
    while (running) {
      if ((await get(`${s.url}/api/x`, 'loop.localhost')) !== 503) throw new Error('the loop app should time out');
      if (running) loops++;
    }
  };
  const clients = Array.from({ length: looping }, client);
  if (looping) await new Promise((r) => setTimeout(r, loopMs / 2)); // the loops are running
  const lat: number[] = [];
  const end = performance.now() + seconds * 1000;
  while (performance.now() < end) {
    const t = performance.now();
    if ((await get(`${s.url}/api/x`, 'calm.localhost')) !== 200) throw new Error('calm app failed');
    lat.push(performance.now() - t);
  }
  running = false;
  await Promise.all(clients);
  const workers = (s.kernel.services.runtime.sandboxes as unknown as { load?(): { workers: number } }).load?.().workers ?? 0;
  await s.stop();
  rmSync(dir, { recursive: true, force: true });
  lat.sort((a, b) => a - b);
  return { n: lat.length, p50: pct(lat, 0.5), p99: pct(lat, 0.99), max: lat[lat.length - 1], loops, workers };
}

async function main() {
  const idle = await measure(0);
  const rows = [
    ['calm app alone (baseline)', idle],
    ['calm + 2 looping requests', await measure(2)],
    ['calm + 6 looping requests', await measure(6)],
  ] as const;
  console.log(`sequential requests to the calm app for ${seconds}s each; the looping app is stopped at ${loopMs} ms each time; ${cpus().length} CPUs`);
  console.log('| setup                      | calm req | p50 ms | p99 ms |  max ms | p99 vs idle | loops 503 | workers |');
  console.log('|----------------------------|----------|--------|--------|---------|-------------|-----------|---------|');
  for (const [name, r] of rows) {
    const ratio = `${(r.p99 / idle.p99).toFixed(1)}×`;
    console.log(
      `| ${name.padEnd(26)} | ${String(r.n).padStart(8)} | ${r.p50.toFixed(2).padStart(6)} | ${r.p99.toFixed(2).padStart(6)} | ${r.max.toFixed(1).padStart(7)} | ${ratio.padStart(11)} | ${String(r.loops).padStart(9)} | ${String(r.workers).padStart(7)} |`,
    );
  }
  const worst = Math.max(rows[1][1].p99, rows[2][1].p99) / idle.p99;
  console.log(`calm p99 while another app loops vs idle: ${worst.toFixed(1)}× at worst (goal: within 2×)`);
}

void main();
