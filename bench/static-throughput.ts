/**
 * Static hosting throughput: fazt (a real spawned server, files deployed through
 * the deploy op) against a bare node:http server answering the same bytes from
 * memory, measured with wrk in the same run. Goal: fazt ≥ 0.85× bare.
 *
 *   node dist/bench/static-throughput.js [seconds=5] [connections=50] [rounds=3]
 *
 * Each side is measured `rounds` times, alternating, and the median run is shown.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { table } from './static-throughput-table.js';
import { fmtRate, medianRun, parseWrk, startProcess, type WrkResult } from './wrk.js';

const here = dirname(fileURLToPath(import.meta.url));
const ROOT = join(here, '..', '..');
const seconds = Number(process.argv[2] ?? 5);
const conns = Number(process.argv[3] ?? 50);
const rounds = Number(process.argv[4] ?? 3);




function wrk(url: string, host: string | undefined, secs: number): WrkResult {
  const args = ['-t2', `-c${conns}`, `-d${secs}s`, '--latency', ...(host ? ['-H', `Host: ${host}`] : []), url];
  const out = execFileSync('wrk', args, { encoding: 'utf8' });
  const { rps, p50, p99 } = parseWrk(out);
  if (/Non-2xx/.test(out)) throw new Error(`wrk saw errors:\n${out}`);
  return { rps, p50, p99 };
}

async function main() {
  try {
    execFileSync('wrk', ['--version'], { stdio: 'ignore' });
  } catch (e) {
    if ((e as { code?: string }).code === 'ENOENT') throw new Error('wrk is not installed: apt-get install -y wrk');
  }
  const tmp = mkdtempSync(join(tmpdir(), 'fazt-bench-'));
  const html = Buffer.from(`<!doctype html><html><head><meta charset="utf-8"><title>bench</title></head><body>${'<p>hello fazt</p>'.repeat(58)}</body></html>\n`);
  const asset = Buffer.from(randomBytes(150 * 1024).toString('base64').slice(0, 200 * 1024));
  writeFileSync(join(tmp, 'index.html'), html);
  writeFileSync(join(tmp, 'asset.js'), asset);

  const dataDir = join(tmp, 'data');
  const fazt = await startProcess([join(ROOT, 'bin', 'fazt.js'), 'server', 'start', '--port', '0', '--data', dataDir, '--no-example', '--rate-limit', '0'], /running at (http:\/\/\S+)/);
  const faztUrl = fazt.match[1];
  const token = JSON.parse((await import('node:fs')).readFileSync(join(dataDir, 'client.json'), 'utf8')).token as string;
  const dep = await fetch(`${faztUrl}/api/ops/deploy`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ app: 'bench', files: [{ path: 'index.html', content: html.toString() }, { path: 'asset.js', content: asset.toString() }] }),
  });
  if (dep.status !== 200) throw new Error(`deploy failed: ${await dep.text()}`);
  const bare = await startProcess([join(here, 'static-bare-server.js'), '0', `/=${join(tmp, 'index.html')}`, `/asset.js=${join(tmp, 'asset.js')}`], /listening (\d+)/);
  const bareUrl = `http://127.0.0.1:${bare.match[1]}`;

  const rows: string[][] = [];
  try {
    for (const [label, path, size] of [['html', '/', html.length], ['asset', '/asset.js', asset.length]] as const) {
      // Warm up both (JIT, caches), then alternate short runs so background load hits both alike.
      wrk(`${faztUrl}${path}`, 'bench.localhost', 1);
      wrk(`${bareUrl}${path}`, undefined, 1);
      const fs: WrkResult[] = [];
      const bs: WrkResult[] = [];
      for (let round = 0; round < rounds; round++) {
        fs.push(wrk(`${faztUrl}${path}`, 'bench.localhost', seconds));
        bs.push(wrk(`${bareUrl}${path}`, undefined, seconds));
      }
      const f = medianRun(fs);
      const b = medianRun(bs);
      rows.push([`${label} (${(size / 1024).toFixed(1)} KB)`, fmtRate(b.rps), fmtRate(f.rps), (f.rps / b.rps).toFixed(2), `${b.p50.toFixed(2)} / ${b.p99.toFixed(2)}`, `${f.p50.toFixed(2)} / ${f.p99.toFixed(2)}`]);
    }
  } finally {
    fazt.child.kill('SIGTERM');
    bare.child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 300));
    rmSync(tmp, { recursive: true, force: true });
  }
  const head = ['file', 'bare req/s', 'fazt req/s', 'fazt/bare', 'bare p50/p99 ms', 'fazt p50/p99 ms'];
  console.log(`static throughput: wrk -t2 -c${conns} -d${seconds}s, median of ${rounds} alternating runs, loopback, ${process.version}`);
  table([head, ...rows]);
}


main().catch((err) => {
  console.error(err);
  process.exit(1);
});
