import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { startServer } from '../helpers/server.js';
import { tempDir } from '../helpers/temp.js';

test('an app exported with its data on one server imports on another: same pages and data', async () => {
  const a = await startServer();
  const b = await startServer();
  try {
    const logo = randomBytes(4096).toString('base64');
    assert.equal((await a.op('deploy', { app: 'shop', files: [{ path: 'index.html', content: '<h1>v1</h1>' }] })).status, 200);
    const v2 = await a.op('deploy', {
      app: 'shop',
      files: [
        { path: 'index.html', content: '<h1>shop v2</h1>' },
        { path: 'logo.png', content: logo, encoding: 'base64' },
        { path: 'api/main.js', content: "export default (req) => ({ json: { hello: 'from shop' } })" },
      ],
    });
    assert.equal(v2.status, 200, JSON.stringify(v2.body));
    assert.equal((await a.op('storage.kv.set', { app: 'shop', key: 'cart', value: { items: 3 } })).status, 200);
    assert.equal((await a.op('storage.ds.insert', { app: 'shop', collection: 'orders', doc: { total: 12.5 } })).status, 200);

    const exp = await a.op('apps.export', { app: 'shop' });
    assert.equal(exp.status, 200, JSON.stringify(exp.body));
    assert.equal(statSync(exp.body.file).mode & 0o777, 0o600);
    assert.equal(exp.body.rows.app_versions, 2);
    assert.equal(exp.body.rows.app_kv, 1);
    assert.equal(exp.body.rows.app_docs, 1);

    const imp = await b.op('apps.import', { from: exp.body.file });
    assert.equal(imp.status, 200, JSON.stringify(imp.body));
    assert.equal(imp.body.slug, 'shop');
    assert.equal(imp.body.activeVersion, 2);

    for (const path of ['/', '/logo.png']) {
      const pa = await a.get(path, 'shop.localhost');
      const pb = await b.get(path, 'shop.localhost');
      assert.equal(pb.status, 200, path);
      assert.ok(Buffer.from(await pa.arrayBuffer()).equals(Buffer.from(await pb.arrayBuffer())), path);
    }
    const kv = await b.op('storage.kv.get', { app: 'shop', key: 'cart' });
    assert.deepEqual(kv.body.value, { items: 3 });
    const docs = await b.op('storage.ds.query', { app: 'shop', collection: 'orders' });
    assert.equal(docs.status, 200, JSON.stringify(docs.body));
    assert.deepEqual(JSON.stringify(docs.body).includes('12.5'), true);
    const versions = await b.op('deploy.versions', { app: 'shop' });
    assert.equal(versions.body.versions.length, 2);
    const apiA = await a.get('/api/hello', 'shop.localhost');
    const apiB = await b.get('/api/hello', 'shop.localhost');
    assert.equal(apiB.status, 200);
    const body = await apiB.text();
    assert.match(body, /from shop/);
    assert.equal(body, await apiA.text());

    // Importing again collides by name; another slug gives a second copy.
    const again = await b.op('apps.import', { from: exp.body.file });
    assert.equal(again.status, 409);
    assert.match(again.body.error.message, /already exists here: import under another slug/);
    const copy = await b.op('apps.import', { from: exp.body.file, slug: 'shop-copy' });
    assert.equal(copy.status, 200);
    assert.equal(await (await b.get('/', 'shop-copy.localhost')).text(), '<h1>shop v2</h1>');
  } finally {
    await a.close();
    await b.close();
  }
});

test('apps.import refuses what is not an export, and a relative path, by name', async () => {
  const s = await startServer();
  const t = tempDir();
  try {
    const junk = join(t.dir, 'junk.faztapp');
    writeFileSync(junk, 'not gzip');
    const r = await s.op('apps.import', { from: junk });
    assert.equal(r.status, 400);
    assert.match(r.body.error.message, /not a readable fazt app export/);
    const rel = await s.op('apps.import', { from: 'junk.faztapp' });
    assert.equal(rel.status, 400);
    assert.match(rel.body.error.message, /absolute path/);
    const none = await s.op('apps.import', { from: join(t.dir, 'missing.faztapp') });
    assert.equal(none.status, 404);
    await s.op('deploy', { app: 'one', files: [{ path: 'index.html', content: '1' }] });
    const escape = await s.op('apps.export', { app: 'one', name: '../../outside.faztapp' });
    assert.equal(escape.status, 400);
    assert.match(escape.body.error.message, /a file name ending in \.faztapp/);
    const named = await s.op('apps.export', { app: 'one', name: 'one.faztapp' });
    assert.equal(named.body.file, join(s.dataDir, 'exports', 'one.faztapp'));
    const list = await s.op('apps.list', {});
    assert.deepEqual(list.body.apps.map((a: { slug: string }) => a.slug), ['one']);
  } finally {
    await s.close();
    t.cleanup();
  }
});
