/**
 * Built-in DNS server throughput: queries per second answered by fazt (zone
 * lookup, authoritative flags, EDNS, TC check, stats) against a bare dns-packet
 * UDP responder in the same run. Both run as child processes; one client here
 * keeps a fixed number of queries in flight. Rounds alternate so machine noise
 * hits both alike; the table shows the median round.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import dnsPacket from 'dns-packet';

const here = dirname(fileURLToPath(import.meta.url));
const ROUNDS = Number(process.env.ROUNDS ?? 3);
const SECONDS = Number(process.env.SECONDS ?? 3);
const IN_FLIGHT = 64;

function start(script: string, args: string[]): Promise<{ child: ChildProcess; port: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(here, script), ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /listening (\d+)/.exec(out);
      if (m) resolve({ child, port: Number(m[1]) });
    });
    child.once('exit', (c) => reject(new Error(`${script} exited (${c})`)));
  });
}

/** Sends queries with IN_FLIGHT outstanding for `seconds`; a reply (or a 200 ms loss) frees a slot. */
function load(port: number, seconds: number): Promise<{ qps: number; lost: number; aa: boolean }> {
  return new Promise((resolve) => {
    const sock = createSocket('udp4');
    const pending = new Map<number, NodeJS.Timeout>();
    let nextId = 1;
    let answered = 0;
    let lost = 0;
    let aa = true;
    let running = true;
    const send = () => {
      if (!running) return;
      const id = nextId = (nextId % 65535) + 1;
      const q = dnsPacket.encode({ type: 'query', id, questions: [{ type: 'A', name: 'www.bench.test', class: 'IN' }] });
      pending.set(id, setTimeout(() => (pending.delete(id), lost++, send()), 200));
      sock.send(q, port, '127.0.0.1');
    };
    sock.on('message', (msg) => {
      const id = msg.readUInt16BE(0);
      const t = pending.get(id);
      if (!t) return;
      clearTimeout(t);
      pending.delete(id);
      answered++;
      aa &&= (msg[2] & 0x04) !== 0;
      send();
    });
    const t0 = performance.now();
    for (let i = 0; i < IN_FLIGHT; i++) send();
    setTimeout(() => {
      running = false;
      const secs = (performance.now() - t0) / 1000;
      for (const t of pending.values()) clearTimeout(t);
      sock.close();
      resolve({ qps: answered / secs, lost, aa });
    }, seconds * 1000);
  });
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const dataDir = mkdtempSync(join(tmpdir(), 'fazt-bench-dns-'));
const bare = await start('dns-bare-server.js', []);
const fazt = await start('dns-fazt-server.js', [dataDir]);
try {
  await load(bare.port, 0.5);
  await load(fazt.port, 0.5);
  const b: number[] = [];
  const f: number[] = [];
  let lost = 0;
  for (let r = 0; r < ROUNDS; r++) {
    const x = await load(bare.port, SECONDS);
    const y = await load(fazt.port, SECONDS);
    if (!y.aa) throw new Error('fazt answered without the AA flag');
    b.push(x.qps);
    f.push(y.qps);
    lost += x.lost + y.lost;
  }
  const rows = [
    ['bare dns-packet responder', median(b)],
    ['fazt built-in DNS', median(f)],
  ] as const;
  console.log(`UDP A queries, ${IN_FLIGHT} in flight, ${ROUNDS} alternating rounds of ${SECONDS}s (median round)`);
  console.log('server                       queries/s');
  for (const [name, qps] of rows) console.log(`${name.padEnd(28)} ${Math.round(qps).toString().padStart(9)}`);
  console.log(`ratio fazt / bare: ${(median(f) / median(b)).toFixed(2)}   (lost replies: ${lost})`);
} finally {
  bare.child.kill('SIGTERM');
  fazt.child.kill('SIGTERM');
  await new Promise((r) => setTimeout(r, 300));
  rmSync(dataDir, { recursive: true, force: true });
}
