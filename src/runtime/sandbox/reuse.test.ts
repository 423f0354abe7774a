import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { Engine } from './engine.js';
import { DEFAULT_LIMITS, type SandboxLimits } from './limits.js';
import { sandboxFailure } from '../../../test/helpers/sandbox-failure.js';
import { looksLikeModule, Slot, type HostCall } from './slot.js';

const inv = { requestId: 'r1', userId: null };
const host: HostCall = (name, args) => {
  if (name === 'log') return undefined;
  if (name === 'app.kv.get') return { echo: args[0] };
  throw new Error(`unexpected host call ${name}`);
};
const REQ = JSON.stringify({ method: 'GET', path: '/api/x', query: {}, headers: {}, body: null, files: [] });

let engine: Engine;
before(async () => {
  engine = await Engine.create(DEFAULT_LIMITS.memoryMb);
});

/** A slot that goes back to `released` after each clean invocation, as in a pool. */
async function reusable(code: string, limits: Partial<SandboxLimits> = {}) {
  if (engine.poisoned) engine = await Engine.create(DEFAULT_LIMITS.memoryMb);
  const released: Slot[] = [];
  const spec = { app: { id: 'app_1', slug: 'a', name: 'A', env: {} }, code, isModule: looksLikeModule(code), limits: { ...DEFAULT_LIMITS, ...limits } };
  const slot = await Slot.create(engine, spec, host, (s) => released.push(s));
  assert.equal(slot.reusable, true, 'the code compiles as a reusable function');
  const run = async (req: Record<string, unknown> = {}) => {
    const before = released.length;
    const r = await slot.request(JSON.stringify({ ...JSON.parse(REQ), ...req }), inv);
    return { status: r.status, json: r.type === 'json' ? JSON.parse(r.body.toString('utf8')) : r.body.toString('utf8'), reused: released.length > before };
  };
  return { slot, run, released };
}

const failure = sandboxFailure;

describe('sandbox reuse', () => {
  it('gives every request of one context fresh module variables and globals', async () => {
    const { run } = await reusable('let count = 0; export default () => { count++; globalThis.seen = (globalThis.seen || 0) + 1; return { body: { count, seen: globalThis.seen } } }');
    for (let i = 0; i < 3; i++) {
      const r = await run();
      assert.deepEqual(r.json, { count: 1, seen: 1 });
      assert.equal(r.reused, true);
    }
  });

  it('reruns a classic script top level, with let declarations and the request of the moment', async () => {
    const { run } = await reusable('let n = (globalThis.n || 0) + 1; globalThis.n = n; implicit = (typeof implicit === "number" ? implicit : 0) + 1; respond({ n, implicit, path: request.path })');
    assert.deepEqual((await run({ path: '/api/a' })).json, { n: 1, implicit: 1, path: '/api/a' });
    assert.deepEqual((await run({ path: '/api/b' })).json, { n: 1, implicit: 1, path: '/api/b' });
  });

  it('freezes built-ins and fazt.*: a mutation fails and never reaches the next request', async () => {
    const code = `export default (req) => {
      const tries = {};
      const t = (name, f) => { try { f(); tries[name] = 'changed'; } catch (e) { tries[name] = e.name; } };
      if (req.query.mutate) {
        t('arrayProto', () => { Array.prototype.leak = 1; });
        t('objectProto', () => { Object.prototype.leak = 1; });
        t('json', () => { JSON.leak = 1; });
        t('faztFn', () => { fazt.log.info.leak = 1; });
        t('respond', () => { respond.leak = 1; });
        t('globalBuiltin', () => { globalThis.JSON = null; });
        t('defineOnProto', () => { Object.defineProperty(Promise.prototype, 'leak', { value: 1 }); });
      }
      return { body: { tries, seen: [[].leak, ({}).leak, JSON.leak, fazt.log.info.leak, respond.leak, typeof JSON.parse, Promise.resolve().leak] } };
    }`;
    const { run } = await reusable(code);
    const first = await run({ query: { mutate: '1' } });
    assert.deepEqual(first.json.tries, { arrayProto: 'TypeError', objectProto: 'TypeError', json: 'TypeError', faztFn: 'TypeError', respond: 'TypeError', globalBuiltin: 'TypeError', defineOnProto: 'TypeError' });
    const second = await run();
    assert.deepEqual(second.json.seen, [null, null, null, null, null, 'function', null]);
  });

  it('keeps common assignments on own objects working despite frozen built-ins', async () => {
    const { run } = await reusable(`class NotFound extends Error { constructor(m) { super(m); this.name = 'NotFound'; } }
      function P() {} P.prototype.toString = function () { return 'P!'; };
      export default () => { const e = new NotFound('gone'); const o = {}; o.constructor = 1; o.valueOf = () => 7; return { body: [e.name, String(e), String(new P()), o.constructor, o + 1, e instanceof Error] } }`);
    assert.deepEqual((await run()).json, ['NotFound', 'NotFound: gone', 'P!', 1, 8, true]);
  });

  it('refuses run-time compilation and finalization callbacks with a clear error', async () => {
    const { run } = await reusable(`export default () => {
      const msg = (f) => { try { f(); return 'ran'; } catch (e) { return e.message; } };
      return { body: [msg(() => eval('1')), msg(() => (0, eval)('1')), msg(() => new Function('return 1')), msg(() => (async function () {}).constructor('x')), msg(() => new FinalizationRegistry(() => {})), (function () {}) instanceof Function] };
    }`);
    const out = (await run()).json as unknown[];
    assert.match(String(out[0]), /eval is not available in fazt apps/);
    assert.match(String(out[1]), /eval is not available in fazt apps/);
    assert.match(String(out[2]), /new Function is not available in fazt apps/);
    assert.match(String(out[3]), /AsyncFunction is not available in fazt apps/);
    assert.match(String(out[4]), /FinalizationRegistry is not available/);
    assert.equal(out[5], true);
  });

  it('shares nothing through call-site template objects or timer ids', async () => {
    const { run } = await reusable(`function tag(s) { try { s.n = (s.n || 0) + 1; return s.n; } catch (e) { return e.name; } }
      export default () => ({ body: { t: tag\`x\`, timer: setTimeout(() => {}, 0) } })`);
    for (let i = 0; i < 2; i++) assert.deepEqual((await run()).json, { t: 'TypeError', timer: 1 });
  });

  it('drops timers and promise chains left by a finished request', async () => {
    const { run } = await reusable(`export default (req) => {
      if (req.query.arm) { setTimeout(() => { globalThis.late = 'timer'; }, 0); Promise.resolve().then(() => { globalThis.chain = 'job'; }); }
      return { body: { late: globalThis.late ?? null, chain: globalThis.chain ?? null } };
    }`);
    assert.deepEqual((await run({ query: { arm: '1' } })).json, { late: null, chain: null });
    assert.deepEqual((await run()).json, { late: null, chain: null });
  });

  it('retires a context whose global object cannot be restored, and a fresh one starts clean', async () => {
    const code = `export default (req) => {
      if (req.query.pin) Object.defineProperty(globalThis, 'pinned', { value: 1 });
      if (req.query.proto) Object.setPrototypeOf(globalThis, null);
      if (req.query.seal) Object.preventExtensions(globalThis);
      return { body: typeof globalThis.pinned };
    }`;
    for (const q of ['pin', 'proto', 'seal']) {
      const a = await reusable(code);
      const r = await a.run({ query: { [q]: '1' } });
      assert.equal(r.reused, false, `${q}: the context is not reused`);
      await assert.rejects(a.slot.request(REQ, inv), /cannot serve another invocation/);
      const b = await reusable(code);
      assert.equal((await b.run()).json, 'undefined');
    }
  });

  it('reuses a context after the app throws, and frees it after a limit hit', async () => {
    const a = await reusable('export default (req) => { if (req.query.fail) throw new Error("boom"); return { body: "ok" } }');
    assert.equal((await failure(a.slot.request(JSON.stringify({ ...JSON.parse(REQ), query: { fail: '1' } }), inv))).kind, 'error');
    assert.equal(a.released.length, 1);
    assert.equal((await a.run()).json, 'ok');
    const b = await reusable('export default () => { while (true) {} }', { timeoutMs: 100 });
    assert.equal((await failure(b.slot.request(REQ, inv))).kind, 'timeout');
    assert.equal(b.released.length, 0);
  });

  it('registers tools afresh on every invocation of a reused context', async () => {
    const { slot, released } = await reusable(`let calls = 0;
      fazt.mcp.tool('count', { description: 'c', handler: () => ++calls });
      export default () => ({ body: 1 })`);
    assert.equal(await slot.tool('count', '{}', inv), '1');
    assert.equal(await slot.tool('count', '{}', inv), '1');
    assert.equal(released.length, 2);
    const regs = await slot.collect();
    assert.deepEqual(regs.tools.map((t) => t.name), ['count']);
  });

  it('runs modules it cannot wrap as real modules, once per context', async () => {
    const engine2 = await Engine.create(DEFAULT_LIMITS.memoryMb);
    const code = 'const m = import.meta; export default () => ({ body: typeof m })';
    const released: Slot[] = [];
    const slot = await Slot.create(engine2, { app: { id: 'app_1', slug: 'a', name: 'A', env: {} }, code, isModule: true, limits: DEFAULT_LIMITS }, host, (s) => released.push(s));
    assert.equal(slot.reusable, false);
    const r = await slot.request(REQ, inv);
    assert.equal(r.body.toString(), 'object');
    assert.equal(released.length, 0);
  });
});
