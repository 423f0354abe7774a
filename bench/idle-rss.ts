/**
 * Resident memory of an idle fazt server: a real `fazt server start` child on a
 * fresh data dir (example app deployed), measured a few seconds after start and
 * again after serving some requests, against a bare node:http process. Then a
 * server child (bench/idle-rss-server) opens 1,000 MCP sessions (initialize,
 * initialized, tools/list), ends them with DELETE, and is measured after a GC.
 *
 *   node dist/bench/idle-rss.js [settleSeconds=4] [sessions=1000]
 */
import { startProcess } from './wrk.js';
import { fork, type ChildProcess } from 'node:child_process';
import { Agent } from 'node:http';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { table } from './static-throughput-table.js';

const here = dirname(fileURLToPath(import.meta.url));
const ROOT = join(here, '..', '..');
const settle = Number(process.argv[2] ?? 4) * 1000;
const SESSIONS = Number(process.argv[3] ?? 1000);

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

interface Reading {
  rss: number;
  heap: number;
  sessions: number;
}

/** Asks the server child a question ('rss' or 'gc') and waits for its reading. */
function ask(child: ChildProcess, what: 'rss' | 'gc'): Promise<Reading> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the server child did not answer '${what}' within 60 s`)), 60_000);
    child.once('message', (m) => (clearTimeout(timer), resolve(m as Reading)));
    child.send(what);
  });
}

const agent = new Agent({ keepAlive: true, maxSockets: 8 });
const V = '2025-11-25';

function mcp(url: string, token: string, method: 'POST' | 'DELETE', body?: unknown, session?: string): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const u = new URL('/mcp', url);
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = request(
      {
        hostname: u.hostname, port: u.port, path: u.pathname, method, agent,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-protocol-version': V, ...(session ? { 'mcp-session-id': session } : {}) },
      },
      (res) => {
        res.resume();
        res.on('end', () => (res.statusCode! < 300 ? resolve(res.headers['mcp-session-id'] as string | undefined) : reject(new Error(`${method} → ${res.statusCode}`))));
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

/** Opens `n` sessions, eight at a time; returns their ids. */
async function openSessions(url: string, token: string, n: number): Promise<string[]> {
  const ids: string[] = [];
  const one = async () => {
    const sid = await mcp(url, token, 'POST', { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: V, capabilities: {}, clientInfo: { name: 'bench', version: '1' } } });
    await mcp(url, token, 'POST', { jsonrpc: '2.0', method: 'notifications/initialized' }, sid);
    await mcp(url, token, 'POST', { jsonrpc: '2.0', id: 2, method: 'tools/list' }, sid);
    ids.push(sid!);
  };
  for (let i = 0; i < n; i += 8) await Promise.all(Array.from({ length: Math.min(8, n - i) }, one));
  return ids;
}

async function sessionRows(dir: string, bareIdle: number): Promise<string[][]> {
  const child = fork(join(here, 'idle-rss-server.js'), [join(dir, 'sessions'), JSON.stringify({ 'mcp.sessions.owner': String(SESSIONS + 10) })], { execArgv: ['--expose-gc'], stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  try {
    const { url, token } = await new Promise<{ url: string; token: string }>((resolve) => child.once('message', (m) => resolve(m as never)));
    await sleep(settle);
    const idle = await ask(child, 'gc');
    const ids = await openSessions(url, token, SESSIONS);
    const open = await ask(child, 'rss');
    for (let i = 0; i < ids.length; i += 8) await Promise.all(ids.slice(i, i + 8).map((sid) => mcp(url, token, 'DELETE', undefined, sid)));
    // V8 hands freed pages back to the OS in the background: collect and wait, up to 5 times, until RSS stops falling.
    let freed = await ask(child, 'gc');
    for (let round = 0; round < 5; round++) {
      await sleep(settle);
      const next = await ask(child, 'gc');
      const settled = next.rss > freed.rss * 0.98;
      freed = next;
      if (settled) break;
    }
    const mb = (r: Reading) => `${(r.rss / 1048576).toFixed(1)} MB`;
    const heap = (r: Reading) => `${(r.heap / 1048576).toFixed(1)} MB`;
    return [
      ['fazt (in-process boot), idle after GC', mb(idle), heap(idle), String(idle.sessions), (idle.rss / 1024 / bareIdle).toFixed(2)],
      [`  after ${SESSIONS} MCP sessions opened`, mb(open), heap(open), String(open.sessions), (open.rss / 1024 / bareIdle).toFixed(2)],
      ['  after they are deleted + GC', mb(freed), heap(freed), String(freed.sessions), (freed.rss / 1024 / bareIdle).toFixed(2)],
      ['  deleted + GC / idle', (freed.rss / idle.rss).toFixed(2), (freed.heap / idle.heap).toFixed(2), '', ''],
    ];
  } finally {
    child.send('stop');
    await new Promise((r) => child.once('exit', r));
  }
}

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
    const mb = (kb: number) => `${(kb / 1024).toFixed(1)} MB`;
    const sessions = await sessionRows(dir, bareIdle);
    console.log(`idle RSS after ${settle / 1000}s, ${process.version}`);
    table([
      ['process', 'RSS', 'JS heap used', 'MCP sessions', 'RSS / bare'],
      ['bare node:http', mb(bareIdle), '', '', '1.00'],
      ['fazt server start, idle after start', mb(faztIdle), '', '', (faztIdle / bareIdle).toFixed(2)],
      ['fazt server start, idle after 500 static requests', mb(faztAfter), '', '', (faztAfter / bareIdle).toFixed(2)],
      ...sessions,
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
