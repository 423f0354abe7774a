import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startServer, type TestServer } from '../helpers/server.js';

const page = { path: 'index.html', content: '<h1>hi</h1>' };

/** Indexes an app declares in manifest.json are built by the deploy. */
describe('storage indexes declared in the manifest', () => {
  let s: TestServer;
  before(async () => {
    s = await startServer({ extra: { 'storage.autoIndexAfter': '0' } });
  });
  after(() => s.close());

  test('a deploy declaring ds.indexes creates them, and lookups use them', async () => {
    const manifest = { name: 'Notes', ds: { indexes: { notes: ['slug', 'meta.owner'] } } };
    const r = await s.op('deploy', { app: 'notes', files: [page, { path: 'manifest.json', content: JSON.stringify(manifest) }] });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    const ds = s.kernel.services.storage.ds;
    assert.deepEqual(ds.indexes.list(), ['meta.owner', 'slug']);
    const scope = { appId: r.body.app.id };
    assert.match(ds.explain(scope, 'notes', { slug: 'x' }).join(), /USING INDEX app_docs_f_slug_/);
    assert.match(ds.explain(scope, 'notes', { 'meta.owner': 'ana' }).join(), /USING INDEX app_docs_f_meta_owner_/);
    assert.doesNotMatch(ds.explain(scope, 'notes', { title: 'x' }).join(), /<expr>=/, 'no index on title: auto-indexing is off here');
  });

  test('a malformed ds section fails the deploy and the previous version keeps serving', async () => {
    const ok = await s.op('deploy', { app: 'strict', files: [page] });
    assert.equal(ok.status, 200);
    for (const manifest of [{ ds: { indexes: { notes: 'slug' } } }, { ds: { indexes: { notes: ["bad') --"] } } }, { ds: { indexes: { 'bad name': ['x'] } } }]) {
      const r = await s.op('deploy', { app: 'strict', files: [page, { path: 'manifest.json', content: JSON.stringify(manifest) }] });
      assert.equal(r.status, 400, JSON.stringify(r.body));
    }
    const st = await s.op('apps.get', { id: 'strict' });
    assert.equal(st.body.activeVersion, ok.body.version);
  });
});
