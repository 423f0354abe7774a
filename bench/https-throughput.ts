/**
 * HTTPS static throughput and TLS handshake rate: fazt's HTTPS listener (HTTP/1.1
 * over TLS, certificate chosen by SNI, a real spawned server with the page deployed
 * through the deploy op) against a bare node:https server with the same certificate
 * sending the same response (status, headers and body, read from fazt's own
 * answer), measured with wrk in the same run. Goal: fazt ≥ 0.85× bare. A second
 * bare server sending only content-type and content-length is measured too, so
 * the cost of the caching headers a static server sends shows on its own.
 *
 *   node dist/bench/https-throughput.js [seconds=5] [connections=50] [rounds=5]
 *
 * "keep-alive" reuses connections (request cost); "new connection per request"
 * sends Connection: close, so every request is a full TLS handshake (handshake rate).
 * On two CPUs or more the keep-alive case pins both servers to CPU 0 and wrk to
 * CPU 1 (FAZT_BENCH_PIN=0 turns that off); see Pinning in wrk.ts.
 */
import { execFileSync } from 'node:child_process';
import { request as httpsRequest } from 'node:https';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { table } from './static-throughput-table.js';
import { fmtRate, medianRun, parseWrk, Pinning, startProcess, type WrkResult } from './wrk.js';

const here = dirname(fileURLToPath(import.meta.url));
const ROOT = join(here, '..', '..');
const seconds = Number(process.argv[2] ?? 5);
const conns = Number(process.argv[3] ?? 50);
const rounds = Number(process.argv[4] ?? 5);

const pin = new Pinning();

function wrk(url: string, headers: string[], secs: number, c: number, pinned: boolean): WrkResult & { errors: number } {
  const out = pin.wrk(pinned, [`-c${c}`, `-d${secs}s`, '--latency', ...headers.flatMap((h) => ['-H', h]), url]);
  if (/Non-2xx/.test(out)) throw new Error(`wrk saw non-2xx answers:\n${out}`);
  const errors = Number(/Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out)?.slice(1).reduce((a, b) => a + Number(b), 0) ?? 0);
  return { ...parseWrk(out), errors };
}

async function main() {
  try {
    execFileSync('wrk', ['--version'], { stdio: 'ignore' });
  } catch (e) {
    if ((e as { code?: string }).code === 'ENOENT') throw new Error('wrk is not installed: apt-get install -y wrk');
  }
  const tmp = mkdtempSync(join(tmpdir(), 'fazt-bench-https-'));
  const html = Buffer.from(`<!doctype html><html><head><meta charset="utf-8"><title>bench</title></head><body>${'<p>hello fazt</p>'.repeat(58)}</body></html>\n`);
  writeFileSync(join(tmp, 'index.html'), html);
  // One ECDSA P-256 certificate (what ACME issues here) for both servers; wrk sends SNI "localhost".
  const certFile = join(tmp, 'cert.pem');
  const keyFile = join(tmp, 'key.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', keyFile, '-out', certFile,
    '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost', '-days', '2'], { stdio: 'ignore' });

  const dataDir = join(tmp, 'data');
  const fazt = await startProcess(
    [join(ROOT, 'bin', 'fazt.js'), 'server', 'start', '--port', '0', '--https-port', '0', '--data', dataDir, '--no-example', '--rate-limit', '0'],
    /HTTPS\s+port (\d+)/,
  );
  const faztHttps = Number(fazt.match[1]);
  const client = JSON.parse(readFileSync(join(dataDir, 'client.json'), 'utf8')) as { url: string; token: string };
  const call = async (op: string, input: unknown) => {
    const r = await fetch(`${client.url}/api/ops/${op}`, { method: 'POST', headers: { authorization: `Bearer ${client.token}`, 'content-type': 'application/json' }, body: JSON.stringify(input) });
    if (r.status !== 200) throw new Error(`${op} failed: ${await r.text()}`);
  };
  await call('deploy', { app: 'bench', files: [{ path: 'index.html', content: html.toString() }] });
  await call('net.ssl.import', { cert: readFileSync(certFile, 'utf8'), privateKey: readFileSync(keyFile, 'utf8') });
  const faztUrl = `https://localhost:${faztHttps}/`;
  const host = ['Host: bench.localhost'];
  // The same-response baseline sends exactly the headers fazt sent (node adds Date and Connection to both).
  const headFile = join(tmp, 'head.json');
  writeFileSync(headFile, JSON.stringify(await responseHead(faztHttps, 'bench.localhost')));
  const bare = await startProcess([join(here, 'https-bare-server.js'), '0', certFile, keyFile, `/=${join(tmp, 'index.html')}`, `--head=${headFile}`], /listening (\d+)/);
  const minimal = await startProcess([join(here, 'https-bare-server.js'), '0', certFile, keyFile, `/=${join(tmp, 'index.html')}`], /listening (\d+)/);
  const bareUrl = `https://localhost:${bare.match[1]}/`;
  const minimalUrl = `https://localhost:${minimal.match[1]}/`;

  const rows: string[][] = [];
  try {
    // Keep-alive runs pinned (the server on a CPU of its own: the ratio is the cost
    // of a request). Handshakes run unpinned: one wrk thread cannot make TLS
    // handshakes faster than a server answers them, so pinned, wrk would set the pace.
    const cases = [
      ['keep-alive (req/s)', [] as string[], conns, true],
      ['new connection per request (handshakes/s)', ['Connection: close'], Math.min(conns, 16), false],
    ] as const;
    for (const [label, extra, c, pinned] of cases) {
      pin.place([fazt.child.pid!, bare.child.pid!, minimal.child.pid!], pinned);
      const targets: [string, string[]][] = [[faztUrl, [...host, ...extra]], [bareUrl, [...extra]], [minimalUrl, [...extra]]];
      for (const [url, headers] of targets) wrk(url, headers, 1, c, pinned);
      const runs: WrkResult[][] = targets.map(() => []);
      for (let round = 0; round < rounds; round++) {
        // Each round starts with the next server, so none always runs first.
        for (let k = 0; k < targets.length; k++) {
          const i = (round + k) % targets.length;
          runs[i].push(wrk(targets[i][0], targets[i][1], seconds, c, pinned));
        }
      }
      const [f, b, m] = runs.map(medianRun);
      // Each round measures fazt and the baselines back to back: the median of the
      // per-round ratios cancels a machine that speeds up or slows down between rounds.
      const ratio = (base: WrkResult[]) => median(runs[0].map((x, i) => x.rps / base[i].rps)).toFixed(2);
      const placed = pin.available && pinned ? 'pinned: servers on CPU 0, wrk -t1 on CPU 1' : 'unpinned, wrk -t2';
      rows.push([
        label, placed, String(c), fmtRate(b.rps), fmtRate(m.rps), fmtRate(f.rps), ratio(runs[1]), ratio(runs[2]),
        `${b.p50.toFixed(2)} / ${b.p99.toFixed(2)}`, `${f.p50.toFixed(2)} / ${f.p99.toFixed(2)}`,
      ]);
    }
  } finally {
    fazt.child.kill('SIGTERM');
    bare.child.kill('SIGTERM');
    minimal.child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 300));
    rmSync(tmp, { recursive: true, force: true });
  }
  console.log(`https static (${(html.length / 1024).toFixed(1)} KB page, ECDSA P-256, TLS via SNI): wrk -d${seconds}s, median of ${rounds} rounds (ratios: median of the per-round ratios), loopback, ${process.version}`);
  table([['case', 'placement', 'conns', 'bare, same response', 'bare, 2 headers', 'fazt https', 'fazt/bare (goal ≥ 0.85)', 'fazt/bare 2 headers', 'bare p50/p99 ms', 'fazt p50/p99 ms'], ...rows]);
  console.log('bare, same response: node:https sending the very headers fazt sends for the page; bare, 2 headers: only content-type and content-length.');
}


function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

/** The header name/value pairs fazt answers the page with, less the ones node adds to every response itself. */
function responseHead(port: number, host: string): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest({ host: '127.0.0.1', port, path: '/', servername: 'localhost', headers: { host }, rejectUnauthorized: false }, (res) => {
      res.resume();
      if (res.statusCode !== 200) return reject(new Error(`fazt answered ${res.statusCode} for the bench page`));
      const pairs: string[] = [];
      for (let i = 0; i < res.rawHeaders.length; i += 2) {
        if (!/^(date|connection|keep-alive)$/i.test(res.rawHeaders[i])) pairs.push(res.rawHeaders[i], res.rawHeaders[i + 1]);
      }
      resolve(pairs);
    });
    req.on('error', reject);
    req.end();
  });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
