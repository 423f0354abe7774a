/**
 * /api/hello through the sandbox (in worker threads, the default, and in the
 * main thread) vs the same handler as a bare node:http function, measured
 * with wrk in the same run, plus the per-request sandbox overhead timed
 * directly: a warm context reused (steady state) and a context built for one
 * request (what a cold start or an extra concurrent request pays).
 *
 *   node dist/bench/runtime-hello.js [seconds=5] [connections=20]
 */
import { parseWrk } from './wrk.js';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { createServer } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bootServer } from '../src/server/boot.js';
import { Engine } from '../src/runtime/sandbox/engine.js';
import { DEFAULT_LIMITS } from '../src/runtime/sandbox/limits.js';
import { AppPool } from '../src/runtime/sandbox/pool.js';
import { Slot, type AppCode } from '../src/runtime/sandbox/slot.js';

const seconds = Number(process.argv[2] ?? 5);
const conns = Number(process.argv[3] ?? 20);
const CODE = 'export default async function (request) { return { status: 200, body: { hello: "world", path: request.path } } }';
const plain = async (request: { path: string }) => ({ status: 200, body: { hello: 'world', path: request.path } });


// Async: the servers under test live in this process and must keep answering.
async function wrk(url: string, host?: string, secs = seconds) {
  const { stdout: out } = await promisify(execFile)('wrk', ['-t2', `-c${conns}`, `-d${secs}s`, '--latency', ...(host ? ['-H', `Host: ${host}`] : []), url], { encoding: 'utf8' });
  if (/Non-2xx/.test(out)) throw new Error(`wrk saw errors:\n${out}`);
  return parseWrk(out);
}

async function micro() {
  const spec: AppCode = { app: { id: 'app_bench', slug: 'bench', name: 'bench', env: {} }, code: CODE, isModule: true, limits: DEFAULT_LIMITS };
  const host = () => undefined;
  const req = JSON.stringify({ method: 'GET', path: '/api/hello', query: {}, headers: {}, body: null, files: [] });
  const inv = { requestId: 'b', userId: null };
  let t = performance.now();
  const N0 = 100_000;
  for (let i = 0; i < N0; i++) JSON.stringify((await plain({ path: '/api/hello' })).body);
  const plainUs = ((performance.now() - t) * 1000) / N0;

  // Steady state: the pool hands out a warm context and takes it back after the response.
  const pool = new AppPool(spec, host);
  await (await pool.take()).request(req, inv);
  const N = 20_000;
  t = performance.now();
  for (let i = 0; i < N; i++) await (await pool.take()).request(req, inv);
  const fullUs = ((performance.now() - t) * 1000) / N;
  pool.dispose();

  // Cold: a context built for one invocation (prelude, lockdown, compile), then freed.
  const engine = await Engine.create(DEFAULT_LIMITS.memoryMb);
  const M = 30;
  t = performance.now();
  for (let i = 0; i < M; i++) await (await Slot.create(engine, spec, host)).request(req, inv);
  const coldUs = ((performance.now() - t) * 1000) / M;
  return { plainUs, fullUs, coldUs };
}

/** A fazt server with the hello app deployed; `workers` sandbox threads (0: in the main thread). */
async function faztServer(workers: number) {
  const dir = mkdtempSync(join(tmpdir(), 'fazt-bench-'));
  const s = await bootServer({ port: 0, dataDir: dir, seedExample: false, extra: { 'runtime.workers': String(workers) } });
  const dep = await fetch(`${s.url}/api/ops/deploy`, {
    method: 'POST',
    headers: { authorization: `Bearer ${s.ownerKey!}`, 'content-type': 'application/json' },
    body: JSON.stringify({ app: 'hello', files: [{ path: 'api/main.js', content: CODE }] }),
  });
  if (dep.status !== 200) throw new Error(`deploy failed: ${await dep.text()}`);
  await wrk(`${s.url}/api/hello`, 'hello.localhost', 1); // warm-up
  const r = await wrk(`${s.url}/api/hello`, 'hello.localhost');
  await s.stop();
  rmSync(dir, { recursive: true, force: true });
  return r;
}

async function main() {
  const m = await micro();
  const bare = createServer(async (req, res) => {
    const out = await plain({ path: new URL(req.url ?? '/', 'http://x').pathname });
    const body = JSON.stringify(out.body);
    res.writeHead(out.status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  });
  await new Promise<void>((r) => bare.listen(0, '127.0.0.1', r));
  const barePort = (bare.address() as { port: number }).port;
  await wrk(`http://127.0.0.1:${barePort}/api/hello`, undefined, 1); // warm-up
  const b = await wrk(`http://127.0.0.1:${barePort}/api/hello`);
  bare.close();
  const fw = await faztServer(2);
  const f = await faztServer(0);

  const row = (name: string, r: { rps: number; p50: number; p99: number }) => `| ${name.padEnd(28)} | ${r.rps.toFixed(0).padStart(8)} | ${r.p50.toFixed(2).padStart(7)} | ${r.p99.toFixed(2).padStart(7)} |`;
  console.log(`wrk -t2 -c${conns} -d${seconds}s, 127.0.0.1, same run`);
  console.log('| server                       |    req/s | p50 ms  | p99 ms  |');
  console.log('|------------------------------|----------|---------|---------|');
  console.log(row('bare node:http handler', b));
  console.log(row('fazt /api/hello, 2 workers', fw));
  console.log(row('fazt /api/hello, main thread', f));
  console.log(`throughput ratio fazt/bare: ${(fw.rps / b.rps).toFixed(3)}× (2 workers), ${(f.rps / b.rps).toFixed(3)}× (main thread)`);
  console.log('');
  console.log('| direct, per invocation                       |      µs |');
  console.log('|----------------------------------------------|---------|');
  console.log(`| plain async function + JSON                  | ${m.plainUs.toFixed(2).padStart(7)} |`);
  console.log(`| sandbox, warm context reused (steady state)  | ${m.fullUs.toFixed(1).padStart(7)} |`);
  console.log(`| sandbox, cold: context built for one request | ${m.coldUs.toFixed(0).padStart(7)} |`);
  console.log(`overhead per request: ${(m.fullUs - m.plainUs).toFixed(1)} µs in steady state; a context is built once and then serves many requests`);
}

void main();
