/**
 * Big app request bodies and the main thread: how long parsing a 10 MB JSON body
 * blocks when done in place (the former way, measured here directly) against the
 * longest event-loop stall while fazt serves the same body (parsed in its worker).
 * Goal: the stall is a small fraction of the in-place parse.
 * Run: node dist/bench/body-offload.js
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseBody } from '../src/runtime/http/parse-body.js';
import { bootServer } from '../src/server/boot.js';
import { DEFAULT_BODY_LIMITS } from '../src/surfaces/http/body-limits.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);

function post(url: string, type: string, body: Buffer): Promise<number> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request({ hostname: u.hostname, port: u.port, path: '/api/x', method: 'POST', headers: { host: 'bench.localhost', 'content-type': type } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function main(): Promise<void> {
  const bodies: [string, string, Buffer][] = [
    ['JSON, 1.4M numbers', 'application/json', Buffer.from(JSON.stringify(Array.from({ length: 1_400_000 }, (_, i) => i)))],
    ['form, 1000 fields', 'application/x-www-form-urlencoded', Buffer.from(Array.from({ length: 1000 }, (_, i) => `f${i}=${'%41'.repeat(3000)}`).join('&'))],
  ];
  const dir = mkdtempSync(join(tmpdir(), 'fazt-bench-'));
  const server = await bootServer({ dataDir: dir, port: 0, seedExample: false, extra: { 'pulse.interval': '1h', 'runtime.timeoutMs': '30000', 'runtime.memoryMb': '512' } });
  try {
    // The app ignores the body: what is measured is fazt's side.
    await server.kernel.invoke({ kind: 'owner', name: 'bench', caps: ['kernel:*'], human: true }, 'deploy', { app: 'bench', files: [{ path: 'api/main.js', content: 'respond(200, "ok")' }] }, { surface: 'system' });
    console.log('| body | MB | in-place parse, ms (median) | longest stall serving it, ms (median) | in-place / stall |');
    console.log('|---|---:|---:|---:|---:|');
    for (const [name, type, body] of bodies) {
      const inPlace: number[] = [];
      const stall: number[] = [];
      await post(server.url, type, body); // warm-up: sandbox compiled, worker started
      for (let i = 0; i < ROUNDS; i++) {
        const t = performance.now();
        JSON.stringify(parseBody(type, body, DEFAULT_BODY_LIMITS));
        inPlace.push(performance.now() - t);
        const h = monitorEventLoopDelay({ resolution: 1 });
        h.enable();
        const status = await post(server.url, type, body);
        h.disable();
        if (status !== 200) throw new Error(`${name}: status ${status}`);
        stall.push(h.max / 1e6);
      }
      const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
      console.log(`| ${name} | ${(body.length / 1e6).toFixed(1)} | ${med(inPlace).toFixed(0)} | ${med(stall).toFixed(0)} | ${(med(inPlace) / med(stall)).toFixed(1)}× |`);
    }
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().then(() => process.exit(0), (err) => (console.error(err), process.exit(1)));
