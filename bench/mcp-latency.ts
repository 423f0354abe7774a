// MCP tool-call latency and throughput: fazt's apps_list vs a minimal SDK server's no-op tool,
// over Streamable HTTP (both eras) and stdio, plus memory per idle 2025 session.
// Run: node dist/bench/mcp-latency.js   (loopback only)
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { bootServer } from '../src/server/boot.js';
import { OWNER_CAPS } from '../src/auth/tokens.js';
import type { Caller } from '../src/kernel/ops/define.js';
import { ROOT } from '../test/helpers/paths.js';
import { tempDir } from '../test/helpers/temp.js';
import { readDir } from '../test/runtime/app-client.js';
import { startMinimalHttp } from './mcp-minimal-server.js';

const here = dirname(fileURLToPath(import.meta.url));
const BIN = join(here, '..', '..', 'bin', 'fazt.js');
const N = Number(process.env.N ?? 400);

type Era = '2025' | '2026';
const OWNER: Caller = { kind: 'owner', name: 'owner', caps: OWNER_CAPS, human: true };
async function httpClient(url: string, token: string | undefined, era: Era): Promise<Client> {
  const c = new Client({ name: 'bench', version: '1' }, era === '2026' ? ({ versionNegotiation: { mode: { pin: '2026-07-28' } } } as never) : {});
  await c.connect(new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers: token ? { authorization: `Bearer ${token}` } : {} } }) as never);
  return c;
}

async function sequential(c: Client, tool: string | (() => Promise<unknown>)): Promise<{ p50: number; p99: number }> {
  const act = typeof tool === 'string' ? () => c.callTool({ name: tool, arguments: {} }) : tool;
  for (let i = 0; i < 30; i++) await act();
  const t: number[] = [];
  for (let i = 0; i < N; i++) {
    const s = performance.now();
    await act();
    t.push(performance.now() - s);
  }
  t.sort((a, b) => a - b);
  return { p50: t[Math.floor(t.length / 2)], p99: t[Math.floor(t.length * 0.99)] };
}

async function throughput(make: () => Promise<Client>, tool: string, clients = 20, ms = 3000): Promise<number> {
  const cs = await Promise.all(Array.from({ length: clients }, make));
  let n = 0;
  const end = Date.now() + ms;
  await Promise.all(cs.map(async (c) => {
    while (Date.now() < end) (await c.callTool({ name: tool, arguments: {} }), n++);
  }));
  await Promise.all(cs.map((c) => c.close()));
  return n / (ms / 1000);
}

async function stdioClient(args: string[]): Promise<Client> {
  const c = new Client({ name: 'bench', version: '1' });
  await c.connect(new StdioClientTransport({ command: process.execPath, args, stderr: 'ignore', env: { ...process.env, FAZT_URL: '', FAZT_TOKEN: '' } as Record<string, string> }));
  return c;
}

const rows: string[][] = [];
const row = (...r: (string | number)[]) => rows.push(r.map((x) => (typeof x === 'number' ? x.toFixed(2) : x)));

const tmp = tempDir('fazt-bench-');
const fazt = await bootServer({ port: 0, dataDir: tmp.dir, seedExample: false, rateLimitPerMinute: 0 });
const token = fazt.ownerKey!;
const minimal = await startMinimalHttp();
// A few apps with their own tools, so the owner's tools/list has app tools to merge.
const blogFiles = Object.entries(readDir(join(ROOT, 'examples', 'blog'))).map(([path, content]) => ({ path, content }));
for (const app of ['blog', 'notes', 'shop', 'crm', 'wiki']) await fazt.kernel.call(OWNER, 'deploy', { app, files: blogFiles }, { surface: 'system' });
// Baseline for tools/list: the minimal server listing the very same tool definitions the owner sees.
const ownerTools = await (async () => {
  const c = await httpClient(`${fazt.url}/mcp`, token, '2026');
  const { tools } = await c.listTools();
  await c.close();
  return tools;
})();
const minimalList = await startMinimalHttp(ownerTools as never);
const auditRows = () => (fazt.kernel.db.prepare('SELECT count(*) AS n FROM audit').get() as { n: number }).n;

for (const era of ['2025', '2026'] as Era[]) {
  const base = await httpClient(minimal.url, undefined, era);
  const ours = await httpClient(`${fazt.url}/mcp`, token, era);
  const b = await sequential(base, 'noop');
  const f = await sequential(ours, 'apps_list');
  await base.close();
  await ours.close();
  row(`HTTP ${era} sequential p50 ms`, b.p50, f.p50, f.p50 / b.p50);
  row(`HTTP ${era} sequential p99 ms`, b.p99, f.p99, f.p99 / b.p99);
  const bt = await throughput(() => httpClient(minimal.url, undefined, era), 'noop');
  const ft = await throughput(() => httpClient(`${fazt.url}/mcp`, token, era), 'apps_list');
  row(`HTTP ${era} 20 clients calls/s`, bt, ft, bt / ft);
  const lb = await httpClient(minimalList.url, undefined, era);
  const lf = await httpClient(`${fazt.url}/mcp`, token, era);
  const lbr = await sequential(lb, () => lb.listTools());
  const rowsBefore = auditRows();
  const lfr = await sequential(lf, () => lf.listTools());
  const listAudit = (auditRows() - rowsBefore) / (N + 30);
  const tools = (await lf.listTools()).tools.length;
  await lb.close();
  await lf.close();
  row(`HTTP ${era} owner tools/list p50 ms`, lbr.p50, lfr.p50, lfr.p50 / lbr.p50);
  row(`  ${tools} tools; audit rows per list`, '-', listAudit, '-');
}

// stdio: fazt serving its own data dir in-process (no server on it) vs the minimal stdio server.
const stdioDir = tempDir('fazt-bench-stdio-');
{
  const s = await bootServer({ port: 0, dataDir: stdioDir.dir, seedExample: false });
  await s.stop();
}
const sb = await stdioClient([join(here, 'mcp-minimal-server.js'), '--stdio']);
const sf = await stdioClient([BIN, 'mcp', 'start', '--stdio', '--data', stdioDir.dir]);
const b = await sequential(sb, 'noop');
const f = await sequential(sf, 'apps_list');
row('stdio sequential p50 ms', b.p50, f.p50, f.p50 / b.p50);
row('stdio sequential p99 ms', b.p99, f.p99, f.p99 / b.p99);
await sb.close();
await sf.close();

// Memory per idle 2025 session: 1,000 initialize handshakes left open.
const init = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'idle', version: '1' } } });
const gc = (globalThis as { gc?: () => void }).gc;
gc?.();
const before = process.memoryUsage();
for (let i = 0; i < 1000; i++) {
  const r = await fetch(`${fazt.url}/mcp`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' }, body: init });
  await r.text();
}
gc?.();
const afterMem = process.memoryUsage();
const sessions = fazt.kernel.services.mcp.endpoint.sessionCount;
row('idle sessions open', '-', sessions, '-');
row('heap KB per idle session', '-', (afterMem.heapUsed - before.heapUsed) / 1024 / sessions, gc ? 'gc' : 'no --expose-gc');
row('rss KB per idle session', '-', (afterMem.rss - before.rss) / 1024 / sessions, '-');

const head = ['measure', 'minimal SDK', 'fazt', 'ratio'];
const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
console.log([head, ...rows].map((r) => r.map((c, i) => c.padEnd(w[i])).join('  ')).join('\n'));
console.log('\nratio = fazt / minimal for latency, minimal / fazt for throughput (goal: latency ratio <= 1.3)');

minimal.close();
minimalList.close();
await fazt.stop();
tmp.cleanup();
stdioDir.cleanup();
process.exit(0);
