import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startServer, type TestServer } from '../helpers/server.js';

const site = (title: string, extra: { path: string; content: string; encoding?: string }[] = []) => [
  { path: 'index.html', content: `<h1>${title}</h1>` },
  { path: 'style.css', content: 'body { color: red }' },
  ...extra,
];

function count(s: TestServer, sql: string): number {
  return (s.kernel.db.prepare(sql).get() as { n: number }).n;
}

describe('deploy op over HTTP', () => {
  let s: TestServer;
  before(async () => (s = await startServer()));
  after(() => s.close());

  it('creates the app on first deploy, serves it, and emits system.app.deployed', async () => {
    const event = s.kernel.events.next('system.app.deployed');
    const r = await s.op('deploy', { app: 'blog', files: site('one'), message: 'first' });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.version, 1);
    assert.equal(r.body.created, true);
    assert.equal(r.body.fileCount, 2);
    assert.match(r.body.url, /^http:\/\/blog\.localhost:\d+\/$/);
    const e = await event;
    assert.deepEqual(e.data, { id: r.body.app.id, slug: 'blog', version: 1, fileCount: 2, totalBytes: r.body.totalBytes });
    const page = await s.get('/', 'blog.localhost');
    assert.equal(page.status, 200);
    assert.equal(await page.text(), '<h1>one</h1>');
  });

  it('a second deploy is a new version; an unchanged redeploy stores no new bytes', async () => {
    const v2 = await s.op('deploy', { app: 'blog', files: site('two') });
    assert.equal(v2.body.version, 2);
    assert.equal(v2.body.created, false);
    assert.equal(v2.body.newBytes, '<h1>two</h1>'.length, 'only the changed file is new');
    const blobBytes = count(s, 'SELECT SUM(size) AS n FROM blobs');
    const v3 = await s.op('deploy', { app: 'blog', files: site('two') });
    assert.equal(v3.body.version, 3);
    assert.equal(v3.body.newBytes, 0);
    assert.equal(count(s, 'SELECT SUM(size) AS n FROM blobs'), blobBytes);
  });

  it('lists versions newest first and reports status', async () => {
    const r = await s.op('deploy.versions', { app: 'blog' });
    assert.equal(r.status, 200);
    assert.deepEqual(r.body.versions.map((v: { version: number }) => v.version), [3, 2, 1]);
    assert.equal(r.body.versions.find((v: { active: boolean }) => v.active).version, 3);
    assert.equal(r.body.versions[2].message, 'first');
    const st = await s.op('deploy.status', { app: 'blog' });
    assert.equal(st.body.activeVersion, 3);
    assert.equal(st.body.active.fileCount, 2);
    assert.equal(st.body.versionCount, 3);
  });

  it('rolls back to the previous version by default, then to an explicit one', async () => {
    const r = await s.op('deploy.rollback', { app: 'blog' });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.version, 2);
    assert.equal(r.body.previousVersion, 3);
    const again = await s.op('deploy.rollback', { app: 'blog' });
    assert.equal(again.body.version, 1);
    assert.equal(await (await s.get('/', 'blog.localhost')).text(), '<h1>one</h1>');
    const fwd = await s.op('deploy.rollback', { app: 'blog', version: 3 });
    assert.equal(fwd.body.version, 3);
    assert.equal(await (await s.get('/', 'blog.localhost')).text(), '<h1>two</h1>');
  });

  it('rollback to a missing version or past the first one is a clear error', async () => {
    const missing = await s.op('deploy.rollback', { app: 'blog', version: 99 });
    assert.equal(missing.status, 404);
    assert.match(missing.body.error.message, /no version 99/);
    await s.op('deploy', { app: 'solo', files: site('solo') });
    const none = await s.op('deploy.rollback', { app: 'solo' });
    assert.equal(none.status, 404);
    assert.match(none.body.error.message, /no earlier version/);
  });

  it('the files service reads the active version, any version, and the manifest', async () => {
    await s.op('deploy', { app: 'mf', files: site('m', [{ path: 'manifest.json', content: '{"name": "My Files", "spa": true,}' }]) });
    const app = s.kernel.services.apps.get('mf');
    assert.equal(app.name, 'My Files', 'the manifest name names a new app');
    const files = s.kernel.services.files;
    assert.deepEqual(files.activeManifest(app.id), { name: 'My Files', spa: true });
    const f = files.read(app.id, 'style.css');
    assert.ok(f);
    assert.equal(f.data.toString(), 'body { color: red }');
    assert.equal(f.mime, 'text/css; charset=utf-8');
    assert.equal(f.size, 19);
    assert.equal(files.read(app.id, 'nope.txt'), null);
    assert.deepEqual(files.list(app.id).map((x) => x.path), ['index.html', 'manifest.json', 'style.css']);
    const blog = s.kernel.services.apps.get('blog');
    assert.equal(files.read(blog.id, 'index.html', 1)?.data.toString(), '<h1>one</h1>');
  });

  it('binary files travel as base64', async () => {
    const bytes = Buffer.from([0, 1, 2, 250, 251, 252, 255]);
    await s.op('deploy', { app: 'bin', files: [{ path: 'x.bin', content: bytes.toString('base64'), encoding: 'base64' }] });
    const res = await s.get('/x.bin', 'bin.localhost');
    assert.equal(res.headers.get('content-type'), 'application/octet-stream');
    assert.deepEqual(Buffer.from(await res.arrayBuffer()), bytes);
  });

  it('deleting an app removes content only it used', async () => {
    await s.op('deploy', { app: 'gone', files: [{ path: 'only-here.txt', content: 'unique content 1234' }, { path: 'style.css', content: 'body { color: red }' }] });
    const before = count(s, 'SELECT COUNT(*) AS n FROM blobs');
    const r = await s.op('apps.delete', { id: 'gone' }, { human: true });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(count(s, 'SELECT COUNT(*) AS n FROM blobs'), before - 1, 'the shared style.css stays');
    assert.equal((await s.get('/only-here.txt', 'gone.localhost')).status, 404);
    assert.equal((await s.get('/style.css', 'mf.localhost')).status, 200);
  });

  it('a deploy hook that throws fails the deploy and the previous version keeps serving', async () => {
    let calls = 0;
    s.kernel.services.deployHooks.beforeActivate('test-veto', (d) => {
      calls++;
      if (d.files.has('veto.txt')) throw new Error('vetoed by hook');
    });
    const r = await s.op('deploy', { app: 'blog', files: site('bad', [{ path: 'veto.txt', content: 'x' }]) });
    assert.equal(r.status, 500);
    assert.match(r.body.error.message, /vetoed by hook/);
    assert.ok(calls >= 1);
    assert.equal(await (await s.get('/', 'blog.localhost')).text(), '<h1>two</h1>');
    const versions = (await s.op('deploy.versions', { app: 'blog' })).body.versions;
    assert.equal(versions[0].status, 'failed');
    assert.match(versions[0].error, /vetoed/);
    assert.equal(count(s, "SELECT COUNT(*) AS n FROM blobs WHERE data = CAST('<h1>bad</h1>' AS BLOB)"), 0, 'content of the failed version is dropped');
    const fresh = await s.op('deploy', { app: 'vetoed-new', files: [{ path: 'veto.txt', content: 'x' }] });
    assert.equal(fresh.status, 500);
    assert.equal(s.kernel.services.apps.find('vetoed-new'), undefined, 'an app created by a failed deploy is removed');
    const rb = await s.op('deploy.rollback', { app: 'blog', version: versions[0].version });
    assert.equal(rb.status, 409, 'a failed version cannot be made live');
  });
});

describe('deploy: bad input', () => {
  let s: TestServer;
  before(async () => (s = await startServer({ maxUploadBytes: 64 * 1024 })));
  after(() => s.close());

  const snapshot = () =>
    ['apps', 'app_versions', 'version_files', 'blobs'].map((t) => count(s, `SELECT COUNT(*) AS n FROM ${t}`)).join(',');

  const badPaths: [string, string, RegExp][] = [
    ['dot-dot', '../etc/passwd', /'\.\.'/],
    ['dot-dot inside', 'a/../../b.txt', /'\.\.'/],
    ['absolute', '/etc/passwd', /absolute/],
    ['windows absolute', 'C:/x.txt', /absolute/],
    ['backslash', 'a\\b.txt', /backslash/],
    ['NUL', 'a\0b.txt', /NUL/],
    ['empty segment', 'a//b.txt', /empty path segment/],
    ['over-long', 'a/'.repeat(600) + 'x', /longer than/],
  ];
  for (const [name, path, why] of badPaths) {
    it(`rejects a ${name} path and writes nothing`, async () => {
      const before = snapshot();
      const r = await s.op('deploy', { app: 'victim', files: [{ path: 'index.html', content: 'ok' }, { path, content: 'x' }] });
      assert.equal(r.status, 400, JSON.stringify(r.body));
      assert.equal(r.body.error.code, 'BAD_INPUT');
      assert.match(r.body.error.message, why);
      assert.equal(snapshot(), before);
      assert.equal(s.kernel.services.apps.find('victim'), undefined);
    });
  }

  it('rejects duplicate paths, an empty file list and bad base64', async () => {
    const dup = await s.op('deploy', { app: 'dup', files: [{ path: 'a.txt', content: '1' }, { path: './a.txt', content: '2' }] });
    assert.equal(dup.status, 400);
    assert.match(dup.body.error.message, /twice/);
    const empty = await s.op('deploy', { app: 'dup', files: [] });
    assert.equal(empty.status, 400);
    assert.match(empty.body.error.message, /files/);
    const b64 = await s.op('deploy', { app: 'dup', files: [{ path: 'a.bin', content: '%%%not base64', encoding: 'base64' }] });
    assert.equal(b64.status, 400);
    assert.match(b64.body.error.message, /base64/);
  });

  it('refuses system apps and invalid slugs with clear errors', async () => {
    for (const slug of ['admin', 'root', '404']) {
      const r = await s.op('deploy', { app: slug, files: [{ path: 'index.html', content: 'pwned' }] });
      assert.equal(r.status, 403, slug);
      assert.match(r.body.error.message, /system app/);
    }
    assert.doesNotMatch(await (await s.get('/')).text(), /pwned/);
    for (const slug of ['Upper', 'under_score', '-lead', 'a'.repeat(64), 'dots.here']) {
      const r = await s.op('deploy', { app: slug, files: [{ path: 'index.html', content: 'x' }] });
      assert.equal(r.status, 400, slug);
      assert.match(r.body.error.message, /Invalid app name/);
    }
    const unknownId = await s.op('deploy', { app: 'app_0000000000000000', files: [{ path: 'index.html', content: 'x' }] });
    assert.equal(unknownId.status, 404);
  });

  it('an upload over the limit is refused with 413 and writes nothing', async () => {
    const before = snapshot();
    const r = await s.op('deploy', { app: 'big', files: [{ path: 'big.txt', content: 'x'.repeat(100 * 1024) }] });
    assert.equal(r.status, 413);
    assert.equal(r.body.error.code, 'TOO_LARGE');
    assert.equal(snapshot(), before);
  });

  it('a token scoped to one app may deploy to it but not create or touch others', async () => {
    const app = (await s.op('apps.create', { name: 'scoped' })).body;
    const tok = await s.op('tokens.create', { name: 'ci-scoped', cap: [`app:${app.id}:write`, `app:${app.id}:read`] }, { human: true });
    assert.equal(tok.status, 200, JSON.stringify(tok.body));
    const token = tok.body.token as string;
    const ok = await s.op('deploy', { app: 'scoped', files: [{ path: 'index.html', content: 'mine' }] }, { token });
    assert.equal(ok.status, 200, JSON.stringify(ok.body));
    const other = await s.op('deploy', { app: 'someone-else', files: [{ path: 'index.html', content: 'x' }] }, { token });
    assert.equal(other.status, 403);
    assert.match(other.body.error.message, /kernel:apps:write/);
  });
});
