import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { ROOT } from '../helpers/paths.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { appRequest, deploy } from './app-client.js';

let s: TestServer;
before(async () => (s = await startServer()));
after(() => s.close());

test('fazt.storage.ds is the same API as fazt.app.ds: insert returns the stored document', async () => {
  const main = `export default async function () {
    const a = fazt.app.ds.insert('notes', { n: 1 });
    const b = fazt.storage.ds.insert('notes', { n: 2 });
    return { status: 200, body: { a, b, same: Object.keys(fazt.storage.ds).every((k) => fazt.storage.ds[k] === fazt.app.ds[k]), kv: Object.keys(fazt.storage.kv).every((k) => fazt.storage.kv[k] === fazt.app.kv[k]) } };
  }`;
  assert.equal((await deploy(s, 'alias', { 'api/main.js': main })).status, 200);
  const r = await appRequest(s, 'alias', '/api/x');
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.b.n, 2);
  assert.match(r.json.b.id, /\S/);
  assert.deepEqual(Object.keys(r.json.b).sort(), Object.keys(r.json.a).sort());
  assert.equal(r.json.same, true);
  assert.equal(r.json.kv, true);
});

test('the blog example uses the documented fazt.app.ds', () => {
  const src = readFileSync(join(ROOT, 'examples', 'blog', 'api', 'main.js'), 'utf8');
  assert.doesNotMatch(src, /fazt\.storage\./);
});
