/**
 * Hot-path cost of pulse's request metrics: a static page served through fazt's
 * HTTP front door (host classification, handler chain, request observers), with
 * pulse's observer attached vs detached, in the same run. Goal: on/off ≥ 0.97.
 * Run: node dist/bench/pulse-hotpath.js   (needs wrk: apt-get install -y wrk)
 */
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bootServer } from '../src/server/boot.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const PAGE = Buffer.from('<!doctype html><title>bench</title>' + 'x'.repeat(1000));

/** Async: the server under test runs in this process and must keep its event loop. */
async function wrk(url: string): Promise<number> {
  const { stdout: out } = await promisify(execFile)('wrk', ['-t1', '-c50', `-d${SECONDS}s`, '-H', 'Host: bench.localhost', url], { encoding: 'utf8' });
  const m = /Requests\/sec:\s+([\d.]+)/.exec(out);
  if (!m) throw new Error(`cannot read wrk output:\n${out}`);
  return Number(m[1]);
}

async function main(): Promise<void> {
  try {
    execFileSync('wrk', ['--version'], { stdio: 'ignore' });
  } catch (err) {
    if ((err as { code?: string }).code === 'ENOENT') throw new Error('wrk is not installed: apt-get install -y wrk');
  }
  const dir = mkdtempSync(join(tmpdir(), 'fazt-bench-'));
  const server = await bootServer({ dataDir: dir, port: 0, seedExample: false, extra: { 'pulse.interval': '1h' } });
  const { kernel } = server;
  // A static page the way the hosting layer serves one: from memory, reported to every observer.
  kernel.useHttp(99, (req, res, route) => {
    if (route.hostKind !== 'app') return false;
    const started = performance.now();
    res.writeHead(200, { 'content-type': 'text/html', 'content-length': PAGE.length });
    res.end(PAGE);
    kernel.requests.emit({
      appId: 'app_bench', slug: route.slug, kind: 'static', method: req.method ?? 'GET', path: route.url.pathname,
      status: 200, durationMs: performance.now() - started, bytes: PAGE.length, requestId: route.requestId,
    });
    return true;
  });
  const url = `${server.url}/index.html`;
  const pulse = kernel.services.pulse;
  try {
    await wrk(url); // warm-up
    const off: number[] = [];
    const on: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      pulse.observeRequests(false);
      off.push(await wrk(url));
      pulse.observeRequests(true);
      on.push(await wrk(url));
    }
    const beat = await pulse.beat();
    const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    const rows = [
      ['pulse observer off (baseline)', med(off), off],
      ['pulse observer on', med(on), on],
    ] as const;
    console.log(`static 1 KB page, wrk -t1 -c50 -d${SECONDS}s, ${ROUNDS} alternating rounds, median req/s`);
    console.log('| mode | req/s (median) | rounds |');
    console.log('|---|---:|---|');
    for (const [name, m, all] of rows) console.log(`| ${name} | ${m.toFixed(0)} | ${all.map((x) => x.toFixed(0)).join(', ')} |`);
    console.log(`ratio on/off: ${(med(on) / med(off)).toFixed(3)}  (goal ≥ 0.97)`);
    // The observer alone, without the network noise: ns per recorded request.
    const { RequestMetrics } = await import('../src/pulse/request-metrics.js');
    const m = new RequestMetrics();
    const sample = { appId: 'app_bench', slug: 'bench', kind: 'static' as const, method: 'GET', path: '/', status: 200, durationMs: 0.05, bytes: 1, requestId: 'r' };
    const N = 5_000_000;
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < N; i++) m.observe(sample);
    const ns = Number(process.hrtime.bigint() - t0) / N;
    const perReqNs = 1e9 / med(off);
    console.log(`observer alone: ${ns.toFixed(1)} ns/request = ${((ns / perReqNs) * 100).toFixed(2)} % of a request at ${med(off).toFixed(0)} req/s (expected ratio ≈ ${(perReqNs / (perReqNs + ns)).toFixed(4)})`);
    console.log(`beat after the run saw ${beat.metrics.http && (beat.metrics.http as { requests: number }).requests} requests; p99 ${(beat.metrics.http as { p99: number }).p99} ms`);
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
