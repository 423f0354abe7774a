// MCP tool-call latency and throughput: fazt's apps_list vs a minimal SDK server's no-op tool,
// over Streamable HTTP (both eras) and stdio; the owner's tools/list vs the minimal server
// listing the same tool definitions; memory per idle 2025 session.
// Run: node dist/bench/mcp-latency.js   (loopback only)
import { readFileSync } from 'node:fs';
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
import { conformanceListener } from '../src/surfaces/mcp/listener.js';
import { startMinimalHttp } from './mcp-minimal-server.js';

const here = dirname(fileURLToPath(import.meta.url));
const BIN = join(here, '..', '..', 'bin', 'fazt.js');
const N = Number(process.env.N ?? 1500);
/** Calls each side makes before timing starts, so both run JIT-compiled code. */
const WARMUP = Number(process.env.WARMUP ?? 2000);

type Era = '2025' | '2026';
const OWNER: Caller = { kind: 'owner', name: 'owner', caps: OWNER_CAPS, human: true };
async function httpClient(url: string, token: string | undefined, era: Era): Promise<Client> {
  const c = new Client({ name: 'bench', version: '1' }, era === '2026' ? ({ versionNegotiation: { mode: { pin: '2026-07-28' } } } as never) : {});
  await c.connect(new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers: token ? { authorization: `Bearer ${token}` } : {} } }) as never);
  return c;
}

type Act = () => Promise<unknown>;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * p)];

/**
 * Baseline and fazt measured call by call in alternation, so whatever else the
 * shared machine is doing hits both alike (on two cores, a whole round of one
 * side could land in a quieter moment than the other's); p50 and p99 are over
 * every call.
 */
async function paired(base: Act, ours: Act): Promise<{ b: { p50: number; p99: number }; f: { p50: number; p99: number } }> {
  for (let i = 0; i < WARMUP; i++) (await base(), await ours());
  const all = { b: [] as number[], f: [] as number[] };
  for (let i = 0; i < N; i++) {
    for (const [k, act] of [['b', base], ['f', ours]] as const) {
      const s = performance.now();
      await act();
      all[k].push(performance.now() - s);
    }
  }
  return { b: { p50: pct(all.b, 0.5), p99: pct(all.b, 0.99) }, f: { p50: pct(all.f, 0.5), p99: pct(all.f, 0.99) } };
}

const call = (c: Client, tool: string): Act => () => c.callTool({ name: tool, arguments: {} });

async function throughputOnce(make: () => Promise<Client>, tool: string, clients: number, ms: number): Promise<number> {
  const cs = await Promise.all(Array.from({ length: clients }, make));
  let n = 0;
  const end = Date.now() + ms;
  await Promise.all(cs.map(async (c) => {
    while (Date.now() < end) (await c.callTool({ name: tool, arguments: {} }), n++);
  }));
  await Promise.all(cs.map((c) => c.close()));
  return n / (ms / 1000);
}

/** Calls per second with 20 concurrent clients, alternating baseline and fazt over three rounds (medians). */
async function throughput(base: () => Promise<Client>, baseTool: string, ours: () => Promise<Client>, ourTool: string): Promise<{ b: number; f: number }> {
  const b: number[] = [];
  const f: number[] = [];
  for (let r = 0; r < 3; r++) {
    b.push(await throughputOnce(base, baseTool, 20, 1500));
    f.push(await throughputOnce(ours, ourTool, 20, 1500));
  }
  return { b: median(b), f: median(f) };
}

async function stdioClient(args: string[]): Promise<Client & { pid: number }> {
  const c = new Client({ name: 'bench', version: '1' });
  const transport = new StdioClientTransport({ command: process.execPath, args, stderr: 'ignore', env: { ...process.env, FAZT_URL: '', FAZT_TOKEN: '' } as Record<string, string> });
  await c.connect(transport);
  return Object.assign(c, { pid: transport.pid! });
}

/** CPU time (user + system) a process has used, in ms, from /proc (Linux). */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}

/** Server CPU per call, µs: steadier than latency on a shared machine, since it ignores scheduling. */
async function cpuPerCall(c: Client & { pid: number }, act: Act, calls = 5000): Promise<number> {
  const before = cpuMs(c.pid);
  for (let i = 0; i < calls; i++) await act();
  return ((cpuMs(c.pid) - before) * 1000) / calls;
}

const rows: string[][] = [];
const row = (...r: (string | number)[]) => rows.push(r.map((x) => (typeof x === 'number' ? x.toFixed(3) : x)));

const tmp = tempDir('fazt-bench-');
const fazt = await bootServer({ port: 0, dataDir: tmp.dir, seedExample: false, rateLimitPerMinute: 0, extra: { 'mcp.sessions.owner': '2000' } });
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
// fazt's MCP endpoint serving the conformance fixture: no token check, no op, no audit row.
const fixture = await (async () => {
  const { server, endpoint } = conformanceListener();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}/mcp`, close: async () => (server.close(), server.closeAllConnections(), await endpoint.close()) };
})();
const auditRows = () => {
  fazt.kernel.audit.flush();
  return (fazt.kernel.db.prepare('SELECT count(*) AS n FROM audit').get() as { n: number }).n;
};

for (const era of ['2025', '2026'] as Era[]) {
  const base = await httpClient(minimal.url, undefined, era);
  const ours = await httpClient(`${fazt.url}/mcp`, token, era);
  const { b, f } = await paired(call(base, 'noop'), call(ours, 'apps_list'));
  await base.close();
  await ours.close();
  row(`HTTP ${era} sequential p50 ms`, b.p50, f.p50, f.p50 / b.p50);
  row(`HTTP ${era} sequential p99 ms`, b.p99, f.p99, f.p99 / b.p99);
  // The same endpoint code with a tool that never reaches the kernel: what the MCP surface itself costs.
  const fb = await httpClient(minimal.url, undefined, era);
  const fx = await httpClient(fixture.url, undefined, era);
  const surface = await paired(call(fb, 'noop'), call(fx, 'test_simple_text'));
  await fb.close();
  await fx.close();
  row(`  surface only (no kernel) p50 ms`, surface.b.p50, surface.f.p50, surface.f.p50 / surface.b.p50);
  const tp = await throughput(() => httpClient(minimal.url, undefined, era), 'noop', () => httpClient(`${fazt.url}/mcp`, token, era), 'apps_list');
  row(`HTTP ${era} 20 clients calls/s`, tp.b, tp.f, tp.b / tp.f);
  const lb = await httpClient(minimalList.url, undefined, era);
  const lf = await httpClient(`${fazt.url}/mcp`, token, era);
  const rowsBefore = auditRows();
  const lists = await paired(() => lb.listTools(), () => lf.listTools());
  const listAudit = (auditRows() - rowsBefore) / (WARMUP + N);
  const [lbr, lfr] = [lists.b, lists.f];
  const tools = (await lf.listTools()).tools.length;
  await lb.close();
  await lf.close();
  row(`HTTP ${era} owner tools/list p50 ms`, lbr.p50, lfr.p50, lfr.p50 / lbr.p50);
  row(`  ${tools} tools; audit rows per list`, '-', listAudit, '-');
}

// What one op costs in the kernel (audit row, event, validation), without any transport.
{
  const opts = { surface: 'mcp' as const, session: { id: 'bench', client: 'bench 1' } };
  for (let i = 0; i < 500; i++) await fazt.kernel.invoke(OWNER, 'apps.list', {}, opts);
  const t0 = performance.now();
  for (let i = 0; i < 5000; i++) await fazt.kernel.invoke(OWNER, 'apps.list', {}, opts);
  row('kernel.invoke apps.list ms (in-process)', '-', (performance.now() - t0) / 5000, '-');
}

// stdio: fazt serving its own data dir in-process (no server on it) vs the minimal stdio server.
const stdioDir = tempDir('fazt-bench-stdio-');
{
  const s = await bootServer({ port: 0, dataDir: stdioDir.dir, seedExample: false });
  await s.stop();
}
const sb = await stdioClient([join(here, 'mcp-minimal-server.js'), '--stdio']);
const sf = await stdioClient([BIN, 'mcp', 'start', '--stdio', '--data', stdioDir.dir]);
const { b, f } = await paired(call(sb, 'noop'), call(sf, 'apps_list'));
row('stdio sequential p50 ms', b.p50, f.p50, f.p50 / b.p50);
row('stdio sequential p99 ms', b.p99, f.p99, f.p99 / b.p99);
const [cpuB, cpuF] = [await cpuPerCall(sb, call(sb, 'noop')), await cpuPerCall(sf, call(sf, 'apps_list'))];
row('stdio server CPU per call µs', cpuB, cpuF, cpuF / cpuB);
await sf.close();
// The same stdio surface with a tool that never reaches the kernel: the rest of the gap is kernel.invoke.
const sx = await stdioClient([join(here, 'mcp-fixture-stdio.js')]);
const sxr = await paired(call(sb, 'noop'), call(sx, 'test_simple_text'));
row('  stdio surface only (no kernel) p50 ms', sxr.b.p50, sxr.f.p50, sxr.f.p50 / sxr.b.p50);
await sb.close();
await sx.close();

// Memory per idle 2025 session: 1,000 initialize handshakes left open.
const init = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'idle', version: '1' } } });
const gc = (globalThis as { gc?: () => void }).gc;
gc?.();
const before = process.memoryUsage();
const sessionsBefore = fazt.kernel.services.mcp.endpoint.sessionCount;
for (let i = 0; i < 1000; i++) {
  const r = await fetch(`${fazt.url}/mcp`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' }, body: init });
  await r.text();
}
gc?.();
const afterMem = process.memoryUsage();
const sessions = fazt.kernel.services.mcp.endpoint.sessionCount - sessionsBefore;
row('idle sessions opened', '-', sessions, '-');
row('heap KB per idle session', '-', (afterMem.heapUsed - before.heapUsed) / 1024 / sessions, gc ? 'gc' : 'no --expose-gc');
row('rss KB per idle session', '-', (afterMem.rss - before.rss) / 1024 / sessions, '-');

const head = ['measure', 'minimal SDK', 'fazt', 'ratio'];
const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
console.log([head, ...rows].map((r) => r.map((c, i) => c.padEnd(w[i])).join('  ')).join('\n'));
console.log('\nratio = fazt / minimal for latency, minimal / fazt for throughput (goal: latency ratio <= 1.3)');

minimal.close();
minimalList.close();
await fixture.close();
await fazt.stop();
tmp.cleanup();
stdioDir.cleanup();
process.exit(0);
