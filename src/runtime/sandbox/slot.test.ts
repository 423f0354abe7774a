import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { Engine } from './engine.js';
import { DEFAULT_LIMITS, type SandboxLimits } from './limits.js';
import { sandboxFailure } from '../../../test/helpers/sandbox-failure.js';
import { looksLikeModule, Slot, type HostCall } from './slot.js';

const inv = { requestId: 'r1', userId: null };
const logs: unknown[][] = [];
const host: HostCall = (name, args) => {
  if (name === 'log') return void logs.push(args);
  if (name === 'kv.get' || name === 'app.kv.get') return { echo: args[0] };
  throw new Error(`unexpected host call ${name}`);
};

let engine: Engine;
before(async () => {
  engine = await Engine.create(DEFAULT_LIMITS.memoryMb);
});

async function fresh(): Promise<Engine> {
  if (engine.poisoned) engine = await Engine.create(DEFAULT_LIMITS.memoryMb);
  return engine;
}

async function slot(code: string, limits: Partial<SandboxLimits> = {}): Promise<Slot> {
  return Slot.create(await fresh(), { app: { id: 'app_1', slug: 'a', name: 'A', env: { MODE: 'test' } }, code, isModule: looksLikeModule(code), limits: { ...DEFAULT_LIMITS, ...limits } }, host);
}

async function request(code: string, req: Record<string, unknown> = {}, limits: Partial<SandboxLimits> = {}) {
  const s = await slot(code, limits);
  const r = await s.request(JSON.stringify({ method: 'GET', path: '/api/x', query: {}, headers: {}, body: null, files: [], ...req }), inv);
  return { ...r, text: r.body.toString('utf8') };
}

const failure = sandboxFailure;

describe('sandbox', () => {
  it('runs both handler styles', async () => {
    const m = await request('export default async function (req) { return { status: 201, body: { path: req.path, env: fazt.app.env.MODE }, headers: { "X-A": "1" } } }');
    assert.equal(m.status, 201);
    assert.deepEqual(JSON.parse(m.text), { path: '/api/x', env: 'test' });
    assert.equal(m.headers['x-a'], '1');
    const c = await request('respond(202, "hi " + request.method)');
    assert.equal(c.status, 202);
    assert.equal(c.text, 'hi GET');
    assert.equal(c.type, 'text');
    const one = await request('respond({ ok: true })');
    assert.equal(one.status, 200);
    assert.deepEqual(JSON.parse(one.text), { ok: true });
  });

  it('awaits promises and timers within the budget', async () => {
    const r = await request('export default async () => { await new Promise((r) => setTimeout(r, 20)); return { body: fazt.app.kv.get("k") } }');
    assert.deepEqual(JSON.parse(r.text), { echo: 'k' });
  });

  it('stops an infinite loop at the deadline and the next call works', async () => {
    const e = await failure(request('export default () => { while (true) {} }', {}, { timeoutMs: 200 }));
    assert.equal(e.kind, 'timeout');
    const r = await request('export default () => ({ body: "after" })');
    assert.equal(r.text, 'after');
  });

  it('refuses a timer beyond the budget', async () => {
    const e = await failure(request('export default () => new Promise((r) => setTimeout(r, 60000))', {}, { timeoutMs: 200 }));
    assert.equal(e.kind, 'timeout');
  });

  it('stops a memory bomb and other code keeps running', async () => {
    const e = await failure(request('export default () => { const a = []; while (true) a.push(new ArrayBuffer(1 << 20)); }', {}, { memoryMb: 16 }));
    assert.equal(e.kind, 'memory');
    const e2 = await failure(request('export default () => { const a = []; while (true) a.push("x".repeat(1 << 20) + a.length); }', {}, { memoryMb: 16 }));
    assert.equal(e2.kind, 'memory');
    const r = await request('export default () => ({ body: "alive" })');
    assert.equal(r.text, 'alive');
  });

  it('turns deep recursion into a clean error', async () => {
    const e = await failure(request('function f(n) { return f(n + 1) + 1 } export default () => f(0)'));
    assert.equal(e.kind, 'stack', e.message);
  });

  it('caps the output size', async () => {
    const e = await failure(request('export default () => ({ body: "x".repeat(2 * 1024 * 1024) })', {}, { maxOutputBytes: 1024 * 1024 }));
    assert.equal(e.kind, 'output');
  });

  it('reports a syntax error at compile time', async () => {
    const e = await failure(slot('export default function ( {'));
    assert.equal(e.kind, 'syntax');
    assert.match(e.message, /SyntaxError/);
  });

  it('reports thrown non-Error values', async () => {
    assert.match((await failure(request('throw 42'))).message, /Uncaught 42/);
    assert.match((await failure(request('throw {}'))).message, /Uncaught \{\}/);
    // A null thrown by the app itself, in an engine that never grew to the heap limit, is not taken for out of memory.
    assert.match((await failure(request('throw null'))).message, /^Uncaught null$/);
    assert.match((await failure(request('export default () => { throw new TypeError("bad") }'))).message, /TypeError: bad/);
    assert.match((await failure(request('export default async () => Promise.reject("nope")'))).message, /Uncaught "nope"/);
  });

  it('has no require, process, host modules or setInterval', async () => {
    assert.match((await failure(request('require("fs")'))).message, /require is not available in fazt apps; use fazt/);
    assert.match((await failure(request('respond(process.env.HOME)'))).message, /process is not available in fazt apps/);
    assert.match((await failure(slot('import fs from "fs"; export default () => 1'))).message, /import is not available in fazt apps/);
    assert.match((await failure(request('setInterval(() => {}, 10)'))).message, /setInterval is not available/);
    const r = await request('respond({ fetch: typeof fetch, Buffer: typeof Buffer, host: typeof host })');
    assert.deepEqual(JSON.parse(r.text), { fetch: 'undefined', Buffer: 'undefined', host: 'undefined' });
  });

  it('leaks no state between requests', async () => {
    const code = 'let count = 0; export default () => { count++; globalThis.seen = (globalThis.seen || 0) + 1; return { body: { count, seen: globalThis.seen } } }';
    const a = await request(code);
    const b = await request(code);
    assert.deepEqual(JSON.parse(a.text), { count: 1, seen: 1 });
    assert.deepEqual(JSON.parse(b.text), { count: 1, seen: 1 });
  });

  it('collects registrations and runs tool handlers', async () => {
    const code = `fazt.mcp.tool("posts.list", { description: "List", input: { limit: "number?" }, readOnly: true, handler: async (args) => ({ limit: args.limit }) });
      fazt.mcp.resource("posts://{id}", { description: "One", handler: (uri, p) => ({ uri, id: p.id }) });
      fazt.events.on("app:a.*", () => {});
      export default () => ({ body: 1 })`;
    const regs = await (await slot(code)).collect();
    assert.deepEqual(regs.tools, [{ name: 'posts.list', description: 'List', input: { limit: 'number?' }, readOnly: true, destructive: false }]);
    assert.deepEqual(regs.events, ['app:a.*']);
    assert.equal(await (await slot(code)).tool('posts.list', '{"limit":3}', inv), '{"limit":3}');
    const res = JSON.parse(await (await slot(code)).resource('posts://{id}', 'posts://7', '{"id":"7"}', inv));
    assert.deepEqual(JSON.parse(res.text), { uri: 'posts://7', id: '7' });
  });

  it('routes console and fazt.log to the host', async () => {
    logs.length = 0;
    await request('export default () => { console.log("a", 1); fazt.log.warn("w", { k: 1 }); return { body: 1 } }');
    assert.deepEqual(logs, [['info', 'a 1', null], ['warn', 'w', { k: 1 }]]);
  });
});
