import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { Engine } from './engine.js';
import { DEFAULT_LIMITS } from './limits.js';
import { scan, wrapModule } from './module-wrap.js';
import { Slot } from './slot.js';

let engine: Engine;
before(async () => {
  engine = await Engine.create(DEFAULT_LIMITS.memoryMb);
});

/** Serves one request through a wrapped module and returns the JSON body, asserting it was wrapped. */
async function serve(code: string): Promise<unknown> {
  const slot = await Slot.create(engine, { app: { id: 'app_1', slug: 'a', name: 'A', env: {} }, code, isModule: true, limits: DEFAULT_LIMITS }, () => undefined, () => {});
  assert.equal(slot.reusable, true, `wrapped: ${code}`);
  const r = await slot.request(JSON.stringify({ method: 'GET', path: '/api/p', query: {}, headers: {}, body: null, files: [] }), { requestId: 'r', userId: null });
  slot.dispose();
  const text = r.body.toString('utf8');
  return r.type === 'json' ? JSON.parse(text) : text;
}

describe('module wrapping', () => {
  it('serves every form of default export', async () => {
    const forms: [string, unknown][] = [
      ['export default function handler(r) { return { body: helper(r.path) } }\nfunction helper(p) { return p + "!" }', '/api/p!'],
      ['export default async function (r) { return { body: 1 } }', 1],
      ['export default async (r) => ({ body: 2 })', 2],
      ['export default function* () {}\nexport const x = 1', null],
      ['const h = () => ({ body: 3 })\nexport { h as default }', 3],
      ['function h() { return { body: 4 } }\nexport { h as default, h as other };', 4],
      ['export default { status: 200, body: 5 }.body ? () => ({ body: 5 }) : null', 5],
      ['export default class { }\n', null],
    ];
    for (const [code, want] of forms) {
      if (want === null) {
        assert.ok(wrapModule(code), code);
        continue;
      }
      assert.deepEqual(await serve(code), want, code);
    }
  });

  it('strips export from declarations and leaves look-alikes in strings, templates, regexes and comments alone', async () => {
    const code = [
      '// export default nothing',
      'export const a = "export default 1", b = `x ${ { y: "export" }.y } export`;',
      'export let re = /export default \\/[}{]/g;',
      'export function f() { return { export: 1 }.export }',
      'export class C { export() { return 2 } }',
      '/* export { a as default } */',
      'export default () => ({ body: [a, b, re.source, f(), new C().export()] })',
    ].join('\n');
    assert.deepEqual(await serve(code), ['export default 1', 'x export export', 'export default \\/[}{]', 1, 2]);
  });

  it('keeps line numbers of the app code in error stacks', async () => {
    const slot = await Slot.create(engine, { app: { id: 'app_1', slug: 'a', name: 'A', env: {} }, code: 'export const x = 1\n\nexport default () => {\n  throw new Error("line 4")\n}', isModule: true, limits: DEFAULT_LIMITS }, () => undefined);
    await assert.rejects(slot.request('{"method":"GET","path":"/","query":{},"headers":{},"body":null,"files":[]}', { requestId: 'r', userId: null }), (e: Error & { stack_?: string }) => /api\/main\.js:4/.test(e.stack_ ?? ''));
  });

  it('declines code it must not rewrite', () => {
    for (const code of ['import x from "y"\nexport default x', 'export * from "z"', 'export { a } from "b"', 'export default () => import("x")', 'const s = "unterminated\nexport default 1']) {
      assert.equal(wrapModule(code), null, code);
    }
  });

  it('leaves an export inside a block to the compiler, which rejects it', async () => {
    const code = 'if (globalThis) { export default 1 }';
    await assert.rejects(Slot.create(engine, { app: { id: 'app_1', slug: 'a', name: 'A', env: {} }, code, isModule: true, limits: DEFAULT_LIMITS }, () => undefined), /SyntaxError/);
  });

  it('no code steps outside the per-request function: two requests of one context never share state', async () => {
    // Each tries to declare `stash` outside the function that runs per request, then keep request data in it.
    const handler = 'export default function (r) { stash.push(1); return { body: stash.length } }';
    const escapes: [string, string][] = [
      ['<!-- hides a backtick in a script, not in a module', `let a = 1, b = 1;\na <!-- b + \`\n}); let stash = []; (async function () {\n// \`\n${handler}`],
      ['<!-- at the start of a line', `let b = 1;\n<!-- b + \`\n}); let stash = []; (async function () {\n// \`\n${handler}`],
      ['--> at the start of a line', `let b = 1, c = 2\nb\n--> c + \`\n}); let stash = []; (async function () {\n// \`\n${handler}`],
      ['a regex the scanner reads as division', `let s = '', t = 1;\nif (t) /[\`{]/.test(s)\n}); let stash = []; (async function () { ({ x: \`\n${handler}\n// \` })`],
      ['a closing brace and new top-level statements', `${handler}\n}); let stash = []; (async function () {`],
      ['an unbalanced backtick', `${handler}\n\`}); let stash = []; (async function () { \``],
      ['html-style comments around a closing brace', `<!-- </script> -->\n${handler}\n<!-- }); let stash = []; (async function () { -->`],
    ];
    for (const [what, code] of escapes) {
      let slot: Slot;
      try {
        slot = await Slot.create(engine, { app: { id: 'app_1', slug: 'a', name: 'A', env: {} }, code, isModule: true, limits: DEFAULT_LIMITS }, () => undefined, () => {});
      } catch (err) {
        assert.match(String(err), /SyntaxError|ReferenceError|not defined/, what);
        continue;
      }
      const counts: unknown[] = [];
      for (let i = 0; i < 2; i++) {
        if (i === 1 && !slot.reusable) break;
        try {
          const r = await slot.request(JSON.stringify({ method: 'GET', path: '/api/p', query: {}, headers: {}, body: null, files: [] }), { requestId: 'r' + i, userId: null });
          counts.push(JSON.parse(r.body.toString('utf8')));
        } catch (err) {
          counts.push(String(err).includes('stash') ? 'no stash' : String(err));
        }
      }
      slot.dispose();
      assert.ok(counts.every((c) => c === 'no stash'), `${what}: ${JSON.stringify(counts)}`);
    }
  });

  it('scans braces inside templates and regex classes', () => {
    const toks = scan('a = `${ { b: `${ "}" }` } }`; c = /[}]/; d = 1 / 2 / 3; }')!;
    assert.equal(toks, null, 'the last brace closes nothing');
    const ok = scan('a = `${ { b: `${ "}" }` } }`; c = /[}]/; d = 1 / 2 / 3;')!;
    assert.deepEqual(ok.filter((t) => t.depth === 0 && t.kind === 'id').map((t) => t.text), ['a', 'c', 'd']);
  });
});
