import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startServer, type TestServer } from '../helpers/server.js';
import { deploy } from '../runtime/app-client.js';

/**
 * Every op × a spread of scoped tokens × two target apps, over real HTTP. The
 * expected answer comes from the documented grammar (a trailing `*` covers what
 * starts with the part before it), written out here independently of the code
 * under test: a call the token does not cover must be refused, one it covers
 * must not be.
 */
function covers(held: string, needed: string): boolean {
  return held === needed || (held.endsWith('*') && needed.startsWith(held.slice(0, -1)));
}

const TOKEN_CAPS = (a: string) => ({
  appsRead: ['kernel:apps:read'],
  appsWrite: ['kernel:apps:write'],
  appRead: [`app:${a}:read`],
  appWrite: [`app:${a}:write`],
  appAll: [`app:${a}:*`],
  observe: ['kernel:pulse:read', 'kernel:logs:read', 'kernel:audit:read'],
  storage: ['kernel:storage:*'],
  authRead: ['kernel:auth:read'],
  halts: ['kernel:halt:*'],
  events: ['kernel:events:*'],
});

/** Valid values for the fields ops take, so scoped calls reach the input-level check. */
const SAMPLES: Record<string, unknown> = {
  key: 'k', value: 'v', collection: 'c', doc: { a: 1 }, query: {}, changes: { a: 2 }, tool: 't', uri: 'x://y',
  files: [{ path: 'index.html', content: 'x' }], olderThan: '30d', prefix: '', path: 'index.html', version: 1,
};

function sampleInput(op: { input: unknown }, fields: string[], target: string): Record<string, unknown> {
  const shape = (op.input as { shape?: Record<string, { safeParse(v: unknown): { success: boolean } }> }).shape ?? {};
  const input: Record<string, unknown> = {};
  for (const [k, schema] of Object.entries(shape)) {
    if (fields.includes(k)) input[k] = target;
    else if (k in SAMPLES && (k === 'value' || !schema.safeParse(undefined).success)) input[k] = SAMPLES[k];
  }
  return input;
}

describe('capability matrix over HTTP', () => {
  let s: TestServer;
  const ids: Record<string, string> = {};
  const tokens: Record<string, { token: string; caps: string[] }> = {};
  before(async () => {
    s = await startServer();
    for (const slug of ['alpha', 'beta']) {
      assert.equal((await deploy(s, slug, { 'index.html': slug })).status, 200);
      ids[slug] = (await s.op('apps.get', { id: slug })).body.id;
    }
    assert.equal((await s.op('storage.kv.set', { app: 'beta', key: 'secret', value: 'beta data' })).status, 200);
    for (const [name, caps] of Object.entries(TOKEN_CAPS(ids.alpha))) {
      const r = await s.op('tokens.create', { name, cap: caps }, { human: true });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      tokens[name] = { token: r.body.token, caps };
    }
  });
  after(() => s.close());

  it('refuses every call a token does not cover and allows every call it does', async () => {
    const ops = s.kernel.registry.list();
    assert.ok(ops.length > 30, `expected the whole registry, got ${ops.length} ops`);
    const wrong: string[] = [];
    let calls = 0;
    for (const op of ops) {
      const templates = Array.isArray(op.requires) ? op.requires : [op.requires];
      const fields = [...new Set(templates.flatMap((t) => [...t.matchAll(/\{([^}]+)\}/g)].map((m) => m[1])))];
      for (const target of ['alpha', 'beta']) {
        const input = sampleInput(op, fields, target);
        const needed = templates.map((t) => t.replace(/\{[^}]+\}/g, ids[target]));
        for (const [name, { token, caps }] of Object.entries(tokens)) {
          const allowed = !op.humanOnly && (needed.includes('authenticated') || needed.some((n) => caps.some((c) => covers(c, n))));
          const r = await s.op(op.name, input, { token });
          calls++;
          const refused = r.status === 403 || r.status === 401;
          if (allowed === refused) wrong.push(`${op.name} as ${name} on ${target}: ${allowed ? 'allowed' : 'refused'} expected, got ${r.status} ${JSON.stringify(r.body).slice(0, 160)}`);
        }
      }
    }
    assert.deepEqual(wrong, [], `${wrong.length} wrong answers of ${calls} calls`);
    assert.ok(calls >= ops.length * 20);
  });

  it("leaves the other app's data as it was", async () => {
    const kv = await s.op('storage.kv.get', { app: 'beta', key: 'secret' });
    assert.equal(kv.status, 200);
    assert.equal(kv.body.value, 'beta data');
    assert.equal((await s.op('apps.get', { id: 'beta' })).status, 200);
    const halts = await s.op('halt.list', {});
    for (const h of halts.body.halts ?? []) assert.equal(h.status, 'pending', JSON.stringify(h));
  });
});
