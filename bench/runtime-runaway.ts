/**
 * How a calm app fares while another app loops until its time limit: latency
 * of sequential /api requests to the calm app while a client keeps the loop
 * app busy, with sandboxes in worker threads (the default) and in the main
 * thread, plus the calm app alone as the baseline. Same run, same machine.
 *
 *   node dist/bench/runtime-runaway.js [seconds=5] [loopTimeoutMs=500]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
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

/** Calm-app latencies (ms) for `seconds`, with or without a neighbour looping. */
async function measure(workers: number, neighbour: boolean) {
  const dir = mkdtempSync(join(tmpdir(), 'fazt-bench-'));
  const s = await bootServer({ port: 0, dataDir: dir, seedExample: false, extra: { 'runtime.workers': String(workers) } });
  await deploy(s, 'calm', { 'api/main.js': 'export default () => ({ body: { ok: true } })' });
  await deploy(s, 'loop', { 'api/main.js': 'export default () => { while (true) {} }', 'manifest.json': JSON.stringify({ limits: { timeoutMs: loopMs } }) });
  for (let i = 0; i < 50; i++) await get(`${s.url}/api/x`, 'calm.localhost'); // warm
  let running = true;
  let loops = 0;
  const hammer = (async () => {
    while (neighbour && running) {
      if ((await get(`${s.url}/api/x`, 'loop.localhost')) !== 503) throw new Error('the loop app should time out');
      loops++;
    }
  })();
  const lat: number[] = [];
  const end = performance.now() + seconds * 1000;
  while (performance.now() < end) {
    const t = performance.now();
    if ((await get(`${s.url}/api/x`, 'calm.localhost')) !== 200) throw new Error('calm app failed');
    lat.push(performance.now() - t);
  }
  running = false;
  await hammer;
  await s.stop();
  rmSync(dir, { recursive: true, force: true });
  lat.sort((a, b) => a - b);
  return { n: lat.length, p50: pct(lat, 0.5), p99: pct(lat, 0.99), max: lat[lat.length - 1], loops };
}

async function main() {
  const rows = [
    ['calm app alone, 2 workers', await measure(2, false)],
    ['calm + looping app, 2 workers', await measure(2, true)],
    ['calm app alone, main thread', await measure(0, false)],
    ['calm + looping app, main thread', await measure(0, true)],
  ] as const;
  console.log(`sequential requests to the calm app for ${seconds}s; the looping app is stopped at ${loopMs} ms each time`);
  console.log('| setup                            | calm req | p50 ms | p99 ms |  max ms | loops |');
  console.log('|----------------------------------|----------|--------|--------|---------|-------|');
  for (const [name, r] of rows) {
    console.log(`| ${name.padEnd(32)} | ${String(r.n).padStart(8)} | ${r.p50.toFixed(2).padStart(6)} | ${r.p99.toFixed(2).padStart(6)} | ${r.max.toFixed(1).padStart(7)} | ${String(r.loops).padStart(5)} |`);
  }
  console.log(`calm p99 with a looping neighbour vs alone: ${(rows[1][1].p99 / rows[0][1].p99).toFixed(1)}× (2 workers), ${(rows[3][1].p99 / rows[2][1].p99).toFixed(1)}× (main thread)`);
}

void main();
