import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { runCli, startServer, type TestServer } from '../helpers/server.js';

/** Storage ops over real HTTP against a real server and SQLite file. */
describe('storage ops', () => {
  let s: TestServer;
  let alpha: string;
  let beta: string;

  before(async () => {
    s = await startServer();
    alpha = (await s.op('apps.create', { name: 'alpha' })).body.id;
    beta = (await s.op('apps.create', { name: 'beta' })).body.id;
  });
  after(() => s.close());

  test('kv: set, get, list by prefix, delete, TTL', async () => {
    assert.deepEqual((await s.op('storage.kv.set', { app: 'alpha', key: 'user:1', value: { name: 'Ana' } })).body, { key: 'user:1', expiresAt: null });
    await s.op('storage.kv.set', { app: alpha, key: 'user:2', value: [1, 2] });
    await s.op('storage.kv.set', { app: 'alpha', key: 'user_%', value: 'literal' });
    const ttl = await s.op('storage.kv.set', { app: 'alpha', key: 'session', value: 'x', ttl: '1h' });
    assert.equal(ttl.status, 200);
    const inAnHour = Date.parse(ttl.body.expiresAt) - Date.now();
    assert.ok(inAnHour > 3_500_000 && inAnHour <= 3_600_000, `expires in ~1h, got ${inAnHour}ms`);
    const got = await s.op('storage.kv.get', { app: 'alpha', key: 'user:1' });
    assert.deepEqual(got.body, { key: 'user:1', found: true, value: { name: 'Ana' }, expiresAt: null });
    assert.equal((await s.op('storage.kv.get', { app: 'alpha', key: 'nope' })).body.found, false);
    const list = await s.op('storage.kv.list', { app: 'alpha', prefix: 'user:' });
    assert.deepEqual(list.body.entries.map((e: { key: string }) => e.key), ['user:1', 'user:2']);
    const pct = await s.op('storage.kv.list', { app: 'alpha', prefix: 'user_' });
    assert.deepEqual(pct.body.entries.map((e: { key: string }) => e.key), ['user_%']);
    assert.deepEqual((await s.op('storage.kv.delete', { app: 'alpha', key: 'user:2' })).body, { key: 'user:2', deleted: true });
    assert.deepEqual((await s.op('storage.kv.delete', { app: 'alpha', key: 'user:2' })).body, { key: 'user:2', deleted: false });
    assert.equal((await s.op('storage.kv.set', { app: 'alpha', key: 'k', value: 1, ttl: 'soon' })).status, 400);
    assert.equal((await s.op('storage.kv.set', { app: 'alpha', key: '', value: 1 })).status, 400);
    assert.equal((await s.op('storage.kv.set', { app: 'alpha', key: 'k'.repeat(513), value: 1 })).status, 400);
  });

  test('kv: read ops also answer GET with query parameters', async () => {
    await s.op('storage.kv.set', { app: 'alpha', key: 'g', value: 42 });
    const res = await fetch(`${s.url}/api/ops/storage.kv.get?app=alpha&key=g`, { headers: { authorization: `Bearer ${s.token}` } });
    assert.equal(res.status, 200);
    assert.equal(((await res.json()) as { value: unknown }).value, 42);
  });

  test('kv: per-user data is separate from app data', async () => {
    await s.op('storage.kv.set', { app: 'alpha', key: 'theme', value: 'dark', user: 'u1' });
    assert.equal((await s.op('storage.kv.get', { app: 'alpha', key: 'theme' })).body.found, false);
    assert.equal((await s.op('storage.kv.get', { app: 'alpha', key: 'theme', user: 'u1' })).body.value, 'dark');
    assert.equal((await s.op('storage.kv.get', { app: 'alpha', key: 'theme', user: 'u2' })).body.found, false);
  });

  test('ds: insert, query with operators, sort and paging, update, collections, delete', async () => {
    for (const [i, title] of ['One', 'Two', 'Three', 'Four'].entries()) {
      const r = await s.op('storage.ds.insert', { app: 'alpha', collection: 'posts', doc: { title, n: i + 1, author: { name: i % 2 ? 'bo' : 'ana' } } });
      assert.equal(r.status, 200);
      assert.equal(r.body.doc.title, title);
      assert.ok(r.body.doc.id);
    }
    const q = await s.op('storage.ds.query', {
      app: 'alpha',
      collection: 'posts',
      query: { 'author.name': 'ana', n: { $gte: 1 } },
      sort: { n: -1 },
    });
    assert.equal(q.status, 200);
    assert.deepEqual(q.body.docs.map((d: { title: string }) => d.title), ['Three', 'One']);
    assert.equal(q.body.total, 2);
    const page = await s.op('storage.ds.query', { app: 'alpha', collection: 'posts', sort: { n: 1 }, limit: 2, skip: 1 });
    assert.deepEqual(page.body.docs.map((d: { n: number }) => d.n), [2, 3]);
    assert.equal(page.body.total, 4);
    const upd = await s.op('storage.ds.update', { app: 'alpha', collection: 'posts', query: { n: { $in: [1, 2] } }, changes: { $inc: { n: 10 }, $set: { bumped: true } } });
    assert.deepEqual(upd.body, { updated: 2 });
    const bumped = await s.op('storage.ds.query', { app: 'alpha', collection: 'posts', query: { bumped: true }, sort: { n: 1 } });
    assert.deepEqual(bumped.body.docs.map((d: { n: number }) => d.n), [11, 12]);
    assert.deepEqual((await s.op('storage.ds.collections', { app: 'alpha' })).body, { collections: [{ name: 'posts', count: 4 }] });
    const del = await s.op('storage.ds.delete', { app: 'alpha', collection: 'posts', query: { bumped: true } }, { human: true });
    assert.deepEqual(del.body, { deleted: 2 });
    const empty = await s.op('storage.ds.delete', { app: 'alpha', collection: 'posts', query: {} }, { human: true });
    assert.equal(empty.status, 400);
    assert.match(empty.body.error.message, /all=true/);
    const all = await s.op('storage.ds.delete', { app: 'alpha', collection: 'posts', query: {}, all: true }, { human: true });
    assert.deepEqual(all.body, { deleted: 2 });
  });

  test('ds: a model deleting documents is halted for the owner', async () => {
    await s.op('storage.ds.insert', { app: 'alpha', collection: 'keep', doc: { id: 'k1' } });
    const r = await s.op('storage.ds.delete', { app: 'alpha', collection: 'keep', query: { id: 'k1' } });
    assert.equal(r.status, 202);
    assert.equal(r.body.halted, true);
    assert.match(r.body.reason, /collection 'keep' of app 'alpha'/);
    assert.equal((await s.op('storage.ds.query', { app: 'alpha', collection: 'keep' })).body.total, 1);
  });

  test('bad queries are 400 and name the operator', async () => {
    for (const [query, op] of [
      [{ $where: 'sleep(1000)' }, '$where'],
      [{ title: { $regex: '.*' } }, '$regex'],
      [{ title: { $x: 1 } }, '$x'],
    ] as const) {
      const r = await s.op('storage.ds.query', { app: 'alpha', collection: 'posts', query });
      assert.equal(r.status, 400, JSON.stringify(r.body));
      assert.equal(r.body.error.code, 'BAD_INPUT');
      assert.ok(r.body.error.message.includes(op), r.body.error.message);
      assert.equal(r.body.error.details.operator, op);
    }
    const upd = await s.op('storage.ds.update', { app: 'alpha', collection: 'posts', query: {}, changes: { $rename: { a: 'b' } } });
    assert.equal(upd.status, 400);
    assert.equal(upd.body.error.details.operator, '$rename');
    const field = await s.op('storage.ds.query', { app: 'alpha', collection: 'posts', query: { "a') OR 1=1 --": 1 } });
    assert.equal(field.status, 400);
    assert.match(field.body.error.message, /Invalid field path/);
    const coll = await s.op('storage.ds.query', { app: 'alpha', collection: 'posts; DROP TABLE app_docs' });
    assert.equal(coll.status, 400);
    const limit = await s.op('storage.ds.query', { app: 'alpha', collection: 'posts', limit: 5000 });
    assert.equal(limit.status, 400);
  });

  test('SQL-looking keys, values and query strings are stored and matched as data', async () => {
    const key = "x'); DROP TABLE app_kv; --";
    const value = "' OR '1'='1";
    await s.op('storage.kv.set', { app: 'alpha', key, value: { v: value } });
    assert.deepEqual((await s.op('storage.kv.get', { app: 'alpha', key })).body.value, { v: value });
    await s.op('storage.ds.insert', { app: 'alpha', collection: 'sql', doc: { id: "1' OR 1=1 --", name: value } });
    await s.op('storage.ds.insert', { app: 'alpha', collection: 'sql', doc: { name: 'plain' } });
    const hit = await s.op('storage.ds.query', { app: 'alpha', collection: 'sql', query: { name: value } });
    assert.deepEqual(hit.body.docs.map((d: { id: string }) => d.id), ["1' OR 1=1 --"]);
    const miss = await s.op('storage.ds.query', { app: 'alpha', collection: 'sql', query: { name: "nothing' OR 1=1 --" } });
    assert.equal(miss.body.total, 0);
    assert.equal((await s.op('storage.ds.query', { app: 'alpha', collection: 'sql' })).body.total, 2);
  });

  test('blobs: list by prefix', async () => {
    const blobs = s.kernel.services.blobs;
    blobs.put({ appId: alpha }, 'img/a.png', Buffer.from('png'));
    blobs.put({ appId: alpha }, 'img/b.jpg', Buffer.from('jpeg!'));
    blobs.put({ appId: alpha }, 'doc.txt', Buffer.from('t'));
    blobs.put({ appId: beta }, 'img/secret.png', Buffer.from('beta'));
    const r = await s.op('storage.blobs.list', { app: 'alpha', prefix: 'img/' });
    assert.equal(r.status, 200);
    assert.deepEqual(
      r.body.blobs.map((b: { path: string; size: number; mime: string }) => [b.path, b.size, b.mime]),
      [
        ['img/a.png', 3, 'image/png'],
        ['img/b.jpg', 5, 'image/jpeg'],
      ],
    );
  });

  test('kv set needs a value; null is a value', async () => {
    const missing = await s.op('storage.kv.set', { app: 'alpha', key: 'nv' });
    assert.equal(missing.status, 400);
    assert.match(missing.body.error.message, /value/);
    assert.equal((await s.op('storage.kv.set', { app: 'alpha', key: 'nv', value: null })).status, 200);
    assert.deepEqual((await s.op('storage.kv.get', { app: 'alpha', key: 'nv' })).body, { key: 'nv', found: true, value: null, expiresAt: null });
  });

  test('usage counts rows and bytes of one app', async () => {
    const delta = (await s.op('apps.create', { name: 'delta' })).body.id;
    await s.op('storage.kv.set', { app: 'delta', key: 'ab', value: 'xyz' });
    await s.op('storage.ds.insert', { app: 'delta', collection: 'c', doc: { id: 'i' } });
    s.kernel.services.blobs.put({ appId: delta, userId: 'u' }, 'f.bin', Buffer.alloc(100));
    const r = await s.op('storage.usage', { app: 'delta' });
    assert.equal(r.status, 200);
    assert.deepEqual(r.body, {
      app: 'delta',
      kv: { entries: 1, bytes: 2 + 5 },
      docs: { count: 1, bytes: '{"id":"i"}'.length },
      blobs: { count: 1, bytes: 100 },
      totalBytes: 7 + 10 + 100,
    });
    const empty = (await s.op('apps.create', { name: 'epsilon' })).body.id;
    assert.equal((await s.op('storage.usage', { app: empty })).body.totalBytes, 0);
  });

  test('unknown app is 404 for the owner', async () => {
    for (const [name, input] of [
      ['storage.kv.get', { app: 'ghost', key: 'k' }],
      ['storage.kv.set', { app: 'app_0000000000000000', key: 'k', value: 1 }],
      ['storage.ds.query', { app: 'ghost', collection: 'c' }],
      ['storage.blobs.list', { app: 'ghost' }],
    ] as const) {
      const r = await s.op(name, input);
      assert.equal(r.status, 404, `${name}: ${JSON.stringify(r.body)}`);
      assert.equal(r.body.error.code, 'NOT_FOUND');
    }
  });

  test("a token scoped to one app cannot read or write another app's data on any op", async () => {
    const { token } = s.kernel.tokens.create('alpha-only', 'token', [`app:${alpha}:*`], null);
    await s.op('storage.kv.set', { app: 'beta', key: 'secret', value: 'beta data' });
    await s.op('storage.ds.insert', { app: 'beta', collection: 'c', doc: { id: 'b1' } });
    const calls: [string, Record<string, unknown>, 'read' | 'write'][] = [
      ['storage.kv.get', { key: 'secret' }, 'read'],
      ['storage.kv.list', {}, 'read'],
      ['storage.kv.set', { key: 'secret', value: 'overwritten' }, 'write'],
      ['storage.kv.delete', { key: 'secret' }, 'write'],
      ['storage.ds.query', { collection: 'c' }, 'read'],
      ['storage.ds.collections', {}, 'read'],
      ['storage.ds.insert', { collection: 'c', doc: { x: 1 } }, 'write'],
      ['storage.ds.update', { collection: 'c', query: {}, changes: { x: 1 } }, 'write'],
      ['storage.ds.delete', { collection: 'c', query: { id: 'b1' } }, 'write'],
      ['storage.blobs.list', {}, 'read'],
      ['storage.usage', {}, 'read'],
    ];
    for (const [name, input, kind] of calls) {
      for (const ref of ['beta', beta]) {
        const r = await s.op(name, { app: ref, ...input }, { token });
        assert.equal(r.status, 403, `${name} on ${ref}: ${JSON.stringify(r.body)}`);
        assert.ok(r.body.error.message.includes(`app:${beta}:${kind}`), r.body.error.message);
        assert.ok(r.body.error.message.includes(`kernel:storage:${kind}`), r.body.error.message);
      }
      // The same call on its own app is allowed (ds.delete halts: a token is not a present human).
      const own = await s.op(name, { app: 'alpha', ...input }, { token });
      assert.ok(own.status === 200 || own.status === 202, `${name} on alpha: ${own.status} ${JSON.stringify(own.body)}`);
    }
    assert.equal((await s.op('storage.kv.get', { app: 'beta', key: 'secret' })).body.value, 'beta data');
    assert.equal((await s.op('storage.ds.query', { app: 'beta', collection: 'c' })).body.total, 1);
    const unknown = await s.op('storage.kv.get', { app: 'ghost', key: 'k' }, { token });
    assert.equal(unknown.status, 403, 'a scoped token learns nothing about apps outside its scope');
  });

  test('read-only and kernel-wide storage tokens', async () => {
    const ro = s.kernel.tokens.create('alpha-read', 'token', [`app:${alpha}:read`], null).token;
    assert.equal((await s.op('storage.kv.list', { app: 'alpha' }, { token: ro })).status, 200);
    const w = await s.op('storage.kv.set', { app: 'alpha', key: 'k', value: 1 }, { token: ro });
    assert.equal(w.status, 403);
    // Refused before the input is read, so the message names the capability template.
    assert.match(w.body.error.message, new RegExp(`app:(${alpha}|\\{app\\}):write`));
    const reader = s.kernel.tokens.create('storage-reader', 'token', ['kernel:storage:read'], null).token;
    assert.equal((await s.op('storage.kv.list', { app: 'beta' }, { token: reader })).status, 200);
    assert.equal((await s.op('storage.ds.insert', { app: 'beta', collection: 'c', doc: {} }, { token: reader })).status, 403);
    const other = s.kernel.tokens.create('apps-reader', 'token', ['kernel:apps:read'], null).token;
    assert.equal((await s.op('storage.kv.list', { app: 'alpha' }, { token: other })).status, 403);
  });

  test('deleting an app deletes its data', async () => {
    const gamma = (await s.op('apps.create', { name: 'gamma' })).body.id;
    await s.op('storage.kv.set', { app: 'gamma', key: 'k', value: 1 });
    await s.op('storage.ds.insert', { app: 'gamma', collection: 'c', doc: {} });
    s.kernel.services.blobs.put({ appId: gamma, userId: 'u' }, 'f', Buffer.from('x'));
    const rows = () =>
      ['app_kv', 'app_docs', 'app_blobs'].map((t) => s.kernel.db.prepare(`SELECT count(*) FROM ${t} WHERE app_id = ?`).pluck().get(gamma));
    assert.deepEqual(rows(), [1, 1, 1]);
    assert.equal((await s.op('apps.delete', { id: 'gamma' }, { human: true })).status, 200);
    assert.deepEqual(rows(), [0, 0, 0]);
    assert.equal((await s.op('storage.kv.get', { app: 'alpha', key: 'user:1' })).body.found, true, 'other apps keep theirs');
  });

  test('CLI: fazt storage kv set/get and ds query', async () => {
    const set = await runCli(['storage', 'kv', 'set', 'alpha', 'greeting', 'hello'], { dataDir: s.dataDir });
    assert.equal(set.code, 0, set.stderr);
    const get = await runCli(['storage', 'kv', 'get', 'alpha', 'greeting', '--json'], { dataDir: s.dataDir });
    assert.equal(get.code, 0, get.stderr);
    assert.equal(JSON.parse(get.stdout).value, 'hello');
    await s.op('storage.ds.insert', { app: 'alpha', collection: 'cli', doc: { id: 'c1', tag: 'x' } });
    const q = await runCli(['storage', 'ds', 'query', 'alpha', 'cli', '--query', '{"tag":"x"}', '--json'], { dataDir: s.dataDir });
    assert.equal(q.code, 0, q.stderr);
    assert.deepEqual(JSON.parse(q.stdout).docs, [{ id: 'c1', tag: 'x' }]);
    const bad = await runCli(['storage', 'ds', 'query', 'alpha', 'cli', '--query', '{"$where":"1"}'], { dataDir: s.dataDir });
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /\$where/);
  });
});
