import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runCli, startServer, type TestServer } from '../helpers/server.js';
import { tempDir } from '../helpers/temp.js';

function makeSite(root: string, files: Record<string, string | Buffer>): string {
  for (const [rel, content] of Object.entries(files)) {
    mkdirSync(join(root, rel, '..'), { recursive: true });
    writeFileSync(join(root, rel), content);
  }
  return root;
}

describe('fazt deploy (real CLI against a real server)', () => {
  let s: TestServer;
  const tmp = tempDir('fazt-sites-');
  before(async () => (s = await startServer()));
  after(async () => {
    await s.close();
    tmp.cleanup();
  });

  it('deploys a folder, named from manifest.json, skipping ignored files', async () => {
    const dir = makeSite(join(tmp.dir, 'my-folder'), {
      'index.html': '<h1>from cli</h1>',
      'manifest.json': '{"name": "Photo Site"}',
      'img/a.bin': Buffer.from([0, 255, 1, 254]),
      '.DS_Store': 'junk',
      '.well-known/security.txt': 'Contact: me',
      'node_modules/lib/index.js': 'nope',
      'notes.log': 'ignored by pattern',
      'drafts/x.html': 'ignored folder',
      'drafts/keep.html': 're-included',
      '.faztignore': '# comment\n*.log\ndrafts/*\n!drafts/keep.html\n',
    });
    const r = await runCli(['deploy', dir], { dataDir: s.dataDir });
    assert.equal(r.code, 0, r.stderr + r.stdout);
    assert.match(r.stdout, /Created and deployed photo-site version 1/);
    assert.match(r.stdout, /http:\/\/photo-site\.localhost:\d+\//);
    const app = s.kernel.services.apps.get('photo-site');
    const paths = s.kernel.services.files.list(app.id).map((f) => f.path);
    assert.deepEqual(paths, ['.well-known/security.txt', 'drafts/keep.html', 'img/a.bin', 'index.html', 'manifest.json']);
    assert.deepEqual(s.kernel.services.files.read(app.id, 'img/a.bin')?.data, Buffer.from([0, 255, 1, 254]));
    assert.equal(await (await s.get('/', 'photo-site.localhost')).text(), '<h1>from cli</h1>');
  });

  it('--name picks the app, --json prints the result, and versions/status/rollback take positionals', async () => {
    const dir = makeSite(join(tmp.dir, 'v'), { 'index.html': 'one' });
    assert.equal((await runCli(['deploy', dir, '--name', 'cli-app'], { dataDir: s.dataDir })).code, 0);
    writeFileSync(join(dir, 'index.html'), 'two');
    const j = await runCli(['deploy', dir, '--name', 'cli-app', '--message', 'second', '--json'], { dataDir: s.dataDir });
    assert.equal(j.code, 0, j.stderr);
    const out = JSON.parse(j.stdout);
    assert.equal(out.version, 2);
    assert.equal(out.app.slug, 'cli-app');

    const versions = await runCli(['deploy', 'versions', 'cli-app', '--json'], { dataDir: s.dataDir });
    assert.equal(versions.code, 0, versions.stderr);
    assert.deepEqual(JSON.parse(versions.stdout).versions.map((v: { version: number }) => v.version), [2, 1]);
    const status = await runCli(['deploy', 'status', 'cli-app'], { dataDir: s.dataDir });
    assert.equal(status.code, 0, status.stderr);
    assert.match(status.stdout, /activeVersion\s+2/);

    const rb = await runCli(['deploy', 'rollback', 'cli-app'], { dataDir: s.dataDir });
    assert.equal(rb.code, 0, rb.stderr);
    assert.equal(await (await s.get('/', 'cli-app.localhost')).text(), 'one');
    const rb2 = await runCli(['deploy', 'rollback', 'cli-app', '2'], { dataDir: s.dataDir });
    assert.equal(rb2.code, 0, rb2.stderr);
    assert.equal(await (await s.get('/', 'cli-app.localhost')).text(), 'two');
  });

  it('gives clear errors: no folder, a file, an empty folder, a bad or system name', async () => {
    const missing = await runCli(['deploy', join(tmp.dir, 'nope')], { dataDir: s.dataDir });
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /No such folder/);
    const file = makeSite(join(tmp.dir, 'f'), { 'index.html': 'x' });
    const notDir = await runCli(['deploy', join(file, 'index.html')], { dataDir: s.dataDir });
    assert.equal(notDir.code, 2);
    assert.match(notDir.stderr, /not a folder/);
    const empty = makeSite(join(tmp.dir, 'empty'), { '.hidden': 'x' });
    const e = await runCli(['deploy', empty], { dataDir: s.dataDir });
    assert.equal(e.code, 2);
    assert.match(e.stderr, /Nothing to deploy/);
    const bad = await runCli(['deploy', file, '--name', 'Not_Valid'], { dataDir: s.dataDir });
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /Invalid app name 'Not_Valid'/);
    const sys = await runCli(['deploy', file, '--name', 'root'], { dataDir: s.dataDir });
    assert.equal(sys.code, 3);
    assert.match(sys.stderr, /system app/);
    const usage = await runCli(['deploy'], { dataDir: s.dataDir });
    assert.equal(usage.code, 2);
  });
});

describe('fazt deploy over the upload limit', () => {
  let s: TestServer;
  const tmp = tempDir('fazt-sites-');
  before(async () => (s = await startServer({ maxUploadBytes: 50_000 })));
  after(async () => {
    await s.close();
    tmp.cleanup();
  });

  it('reports 413 in plain words and nothing is deployed', async () => {
    const dir = makeSite(join(tmp.dir, 'big'), { 'index.html': 'x', 'big.txt': 'y'.repeat(200_000) });
    const r = await runCli(['deploy', dir], { dataDir: s.dataDir });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /larger than the server accepts|over the server's upload limit/);
    assert.match(r.stderr, /--max-upload/);
    assert.equal(s.kernel.services.apps.find('big'), undefined);
  });
});
