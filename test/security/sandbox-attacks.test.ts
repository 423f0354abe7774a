import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startServer, type TestServer } from '../helpers/server.js';
import { appRequest, deploy } from '../runtime/app-client.js';

/**
 * The attack list a hostile app author tries first. Each attack runs inside a
 * deployed app and reports what it reached; every one must end in a refusal,
 * an isolated value, or a clean error — never the host.
 */
const ATTACKS: Record<string, { code: string; expect: RegExp }> = {
  'process.env': { code: `return JSON.stringify(process.env)`, expect: /^threw: process is not available/ },
  'process via bracket access': { code: `return typeof process['binding']`, expect: /^threw: process is not available/ },
  'require': { code: `return typeof require('fs').readFileSync`, expect: /^threw: require is not available/ },
  'module/exports globals': { code: `return typeof module + ',' + typeof exports + ',' + typeof __dirname`, expect: /^undefined,undefined,undefined$/ },
  'Buffer and Node globals': { code: `return [typeof Buffer, typeof global, typeof setImmediate, typeof queueMicrotask === 'function' ? 'ok' : 'none'].join(',')`, expect: /^undefined,undefined,undefined,/ },
  'sloppy this': { code: `return typeof (function () { return this; })()?.process`, expect: /^undefined$/ },
  'Function constructor via object': { code: `return ({}).constructor.constructor('return typeof process')()`, expect: /^threw:/ },
  'Function constructor via a fazt function': { code: `return fazt.log.info.constructor('return 1')()`, expect: /^threw:/ },
  'AsyncFunction constructor': { code: `return Object.getPrototypeOf(async function () {}).constructor('return 1')`, expect: /^threw:/ },
  'GeneratorFunction constructor': { code: `return Object.getPrototypeOf(function* () {}).constructor('yield 1')`, expect: /^threw:/ },
  'eval': { code: `return eval('1 + 1')`, expect: /^threw:/ },
  'indirect eval': { code: `return (0, globalThis['ev' + 'al'])('1 + 1')`, expect: /^threw:/ },
  'dynamic import': { code: `return import('fs').then(() => 'imported', (e) => 'threw: ' + e)`, expect: /^threw:/ },
  'WebAssembly': { code: `return typeof WebAssembly`, expect: /^undefined$/ },
  'setInterval': { code: `return typeof setInterval === 'function' ? (setInterval(() => {}, 1), 'scheduled') : 'none'`, expect: /^(none|threw:.*)$/ },
  'freeze bypass on fazt': { code: `try { fazt.app.kv = null; } catch (e) {} try { fazt.app = null; } catch (e) {} return typeof fazt.app.kv.get`, expect: /^function$/ },
  'redefine a fazt binding': { code: `try { Object.defineProperty(fazt.app.kv, 'get', { value: () => 'mine' }); } catch (e) { return 'threw: ' + e; } return fazt.app.kv.get('x')`, expect: /^threw:/ },
  'Object.prototype pollution': { code: `try { Object.prototype.pwned = 1; } catch (e) { return 'threw: ' + e; } return String(({}).pwned)`, expect: /^(threw:.*|undefined)$/ },
  'Array.prototype patching': { code: `try { Array.prototype.push = () => 0; } catch (e) { return 'threw: ' + e; } const a = []; a.push(1); return String(a.length)`, expect: /^(threw:.*|1)$/ },
  'JSON patching': { code: `try { JSON.parse = () => ({ pwned: true }); } catch (e) { return 'threw: ' + e; } return String(JSON.parse('{}').pwned)`, expect: /^(threw:.*|undefined)$/ },
  'stack overflow': { code: `const f = () => f(); try { f(); } catch (e) { return 'caught ' + e.name; } return 'no overflow'`, expect: /^(caught|threw:)/ },
  'proxy thrown into a host call': { code: `return fazt.app.kv.set(new Proxy({}, { get() { throw new Error('trap'); } }), 1)`, expect: /^threw:/ },
  'getter smuggled as a value': { code: `fazt.app.kv.set('g', { get x() { return typeof globalThis; } }); return JSON.stringify(fazt.app.kv.get('g'))`, expect: /^(\{"x":"object"\}|threw:.*)$/ },
  'deeply nested value': { code: `let a = []; for (let i = 0; i < 100000; i++) a = [a]; return fazt.app.kv.set('deep', a)`, expect: /^threw:/ },
  'system event namespace': { code: `return fazt.events.emit('system.app.deployed', { app: 'x' })`, expect: /^threw:/ },
  "another app's event namespace": { code: `return fazt.events.emit('app:victim.secret', {})`, expect: /^threw:/ },
  'kv key that names another app': { code: `return String(fazt.app.kv.get('../victim/secret') ?? fazt.app.kv.get('victim:secret') ?? 'nothing')`, expect: /^(nothing|threw:.*)$/ },
  'blob path traversal': { code: `return String(fazt.app.s3.get('../victim/secret.txt'))`, expect: /^(null|undefined|threw:.*)$/ },
  '__proto__ in a stored document': { code: `const d = fazt.app.ds.insert('c', JSON.parse('{"__proto__": {"polluted": 1}, "a": 1}')); return String(({}).polluted)`, expect: /^(undefined|threw:.*)$/ },
  'unknown host call name': { code: `return typeof fazt.host + ',' + typeof host + ',' + typeof init`, expect: /^undefined,undefined,undefined$/ },
  'toString of a binding hides the host': { code: `return /host\\(/.test(String(fazt.app.kv.get)) ? 'leaks' : 'ok'`, expect: /^(ok|leaks)$/ },
};

const main = `
const attacks = {
${Object.entries(ATTACKS)
  .map(([name, a]) => `  ${JSON.stringify(name)}: async () => { ${a.code} },`)
  .join('\n')}
};
export default async function (request) {
  const name = request.query.a;
  if (name === '__proto_check') return { status: 200, body: { polluted: String(({}).pwned), leak: typeof leaked } };
  if (name === '__leak') { globalThis.leaked = 1; return { status: 200, body: {} }; }
  let result;
  try { result = String(await attacks[name]()); } catch (e) { result = 'threw: ' + (e && e.message || e); }
  return { status: 200, body: { result } };
}
`;

describe('sandbox attack list', () => {
  let s: TestServer;
  before(async () => {
    s = await startServer();
    const victim = await deploy(s, 'victim', { 'index.html': 'v', 'api/main.js': 'export default () => ({ status: 200, body: { secret: fazt.app.kv.get("secret") } })' });
    assert.equal(victim.status, 200, JSON.stringify(victim.body));
    assert.equal((await s.op('storage.kv.set', { app: 'victim', key: 'secret', value: 'crown jewels' })).status, 200);
    const r = await deploy(s, 'attacker', { 'index.html': 'a', 'api/main.js': main });
    assert.equal(r.status, 200, JSON.stringify(r.body));
  });
  after(() => s.close());

  for (const [name, attack] of Object.entries(ATTACKS)) {
    it(`${name} is contained`, async () => {
      const r = await appRequest(s, 'attacker', `/api/x?a=${encodeURIComponent(name)}`);
      assert.equal(r.status, 200, r.text);
      assert.match(r.json.result, attack.expect, `${name}: ${r.json.result}`);
      assert.doesNotMatch(r.json.result, /crown jewels/);
    });
  }

  it('state an attack leaves does not reach the next request, and the host is untouched', async () => {
    await appRequest(s, 'attacker', '/api/x?a=__leak');
    await appRequest(s, 'attacker', `/api/x?a=${encodeURIComponent('Object.prototype pollution')}`);
    const r = await appRequest(s, 'attacker', '/api/x?a=__proto_check');
    assert.deepEqual(r.json, { polluted: 'undefined', leak: 'undefined' });
    assert.equal(({} as Record<string, unknown>).pwned, undefined);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    const victim = await appRequest(s, 'victim', '/api/');
    assert.equal(victim.json.secret, 'crown jewels', victim.text);
  });
});
