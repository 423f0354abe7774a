/**
 * Resident memory of an idle fazt server: a real `fazt server start` child on a
 * fresh data dir (example app deployed), measured a few seconds after start and
 * again after serving some requests, against a bare node:http process.
 *
 *   node dist/bench/idle-rss.js [settleSeconds=4]
 */
import { startProcess } from './wrk.js';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { table } from './static-throughput-table.js';

const here = dirname(fileURLToPath(import.meta.url));
const ROOT = join(here, '..', '..');
const settle = Number(process.argv[2] ?? 4) * 1000;

function rssKb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!m) throw new Error('no VmRSS (Linux only)');
  return Number(m[1]);
}


function get(url: string, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const u = new URL(url);
    const req = request({ hostname: u.hostname, port: u.port, path: u.pathname, headers: { host, 'accept-encoding': 'br' } }, (res) => {
      res.resume();
      res.on('end', () => resolve());
    });
    req.on('error', reject);
    req.end();
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'fazt-bench-'));
  const fazt = await startProcess([join(ROOT, 'bin', 'fazt.js'), 'server', 'start', '--port', '0', '--data', join(dir, 'data')], /running at (http:\/\/\S+)/);
  const bare = await startProcess(
    ['-e', "const s=require('http').createServer((q,r)=>r.end('ok'));s.listen(0,'127.0.0.1',()=>console.log('listening '+s.address().port))"],
    /listening (\d+)/,
  );
  try {
    await sleep(settle);
    const faztIdle = rssKb(fazt.child.pid!);
    const bareIdle = rssKb(bare.child.pid!);
    const url = fazt.match[1];
    for (let i = 0; i < 500; i++) await get(`${url}/${i % 3 === 0 ? '' : i % 3 === 1 ? 'style.css' : 'logo.svg'}`, 'hello.localhost');
    await sleep(settle);
    const faztAfter = rssKb(fazt.child.pid!);
    console.log(`idle RSS after ${settle / 1000}s, ${process.version}`);
    table([
      ['process', 'RSS'],
      ['bare node:http', `${(bareIdle / 1024).toFixed(1)} MB`],
      ['fazt, idle after start', `${(faztIdle / 1024).toFixed(1)} MB`],
      ['fazt, idle after 500 static requests', `${(faztAfter / 1024).toFixed(1)} MB`],
      ['fazt idle / bare', (faztIdle / bareIdle).toFixed(2)],
    ]);
  } finally {
    fazt.child.kill('SIGTERM');
    bare.child.kill('SIGTERM');
    await sleep(500);
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
