/**
 * Parsing form bodies and query strings: fazt's one-pass parser against the former
 * one (URLSearchParams + getAll per distinct name, quadratic), measured in the same
 * run on the same inputs, with the field cap lifted so both parse everything.
 * Then the whole request: a 100,000-field form POSTed to an app, refused at the cap.
 * Goal: linear growth (time per field flat as fields grow); the refusal costs a scan.
 * Run: node dist/bench/form-parse.js
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bootServer } from '../src/server/boot.js';
import { paramsToObject } from '../src/surfaces/http/params.js';

function formerToObject(params: URLSearchParams): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const key of new Set(params.keys())) {
    const all = params.getAll(key);
    out[key] = all.length > 1 ? all : all[0];
  }
  return out;
}

const form = (n: number) => Array.from({ length: n }, (_, i) => `f${i}=v${i}`).join('&');

function ms(fn: () => unknown, rounds: number): number {
  fn(); // warm-up
  const t = performance.now();
  for (let i = 0; i < rounds; i++) fn();
  return (performance.now() - t) / rounds;
}

function post(url: string, body: string): Promise<{ status: number; ms: number }> {
  const u = new URL(url);
  const t = performance.now();
  return new Promise((resolve, reject) => {
    const req = request({ hostname: u.hostname, port: u.port, path: '/api/x', method: 'POST', headers: { host: 'bench.localhost', 'content-type': 'application/x-www-form-urlencoded' } }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, ms: performance.now() - t }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function main(): Promise<void> {
  console.log('| fields | bytes | former ms | one-pass ms | former/one-pass | one-pass µs/field |');
  console.log('|---:|---:|---:|---:|---:|---:|');
  for (const n of [1_000, 5_000, 20_000]) {
    const text = form(n);
    const rounds = n <= 1000 ? 50 : n <= 5000 ? 5 : 1;
    const former = ms(() => formerToObject(new URLSearchParams(text)), rounds);
    const now = ms(() => paramsToObject(text, Number.MAX_SAFE_INTEGER, 'form body'), rounds);
    console.log(`| ${n} | ${text.length} | ${former.toFixed(2)} | ${now.toFixed(2)} | ${(former / now).toFixed(1)}× | ${((now * 1000) / n).toFixed(2)} |`);
  }
  const dir = mkdtempSync(join(tmpdir(), 'fazt-bench-'));
  const server = await bootServer({ dataDir: dir, port: 0, seedExample: false, extra: { 'pulse.interval': '1h' } });
  try {
    await server.kernel.invoke({ kind: 'owner', name: 'bench', caps: ['kernel:*'], human: true }, 'deploy', { app: 'bench', files: [{ path: 'api/main.js', content: 'respond(200, { n: Object.keys(request.body || {}).length })' }] }, { surface: 'system' });
    await post(server.url, 'warm=up'); // compiles the app's sandbox
    const ok = await post(server.url, form(1000));
    const big = await post(server.url, form(100_000));
    console.log('\n| request | status | ms |\n|---|---:|---:|');
    console.log(`| 1,000-field form | ${ok.status} | ${ok.ms.toFixed(1)} |`);
    console.log(`| 100,000-field form (${form(100_000).length} bytes) | ${big.status} | ${big.ms.toFixed(1)} |`);
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().then(() => process.exit(0), (err) => (console.error(err), process.exit(1)));
