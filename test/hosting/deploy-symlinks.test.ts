import assert from 'node:assert/strict';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runCli, startServer, type TestServer } from '../helpers/server.js';
import { tempDir } from '../helpers/temp.js';

describe('fazt deploy skips symbolic links', () => {
  let s: TestServer;
  const tmp = tempDir('fazt-links-');
  before(async () => (s = await startServer()));
  after(async () => {
    await s.close();
    tmp.cleanup();
  });

  it('a linked file and a linked folder are not published, and the deploy says so', async () => {
    const site = join(tmp.dir, 'site');
    const outside = join(tmp.dir, 'outside');
    mkdirSync(join(site, 'sub'), { recursive: true });
    mkdirSync(outside, { recursive: true });
    writeFileSync(join(site, 'index.html'), '<h1>site</h1>');
    writeFileSync(join(outside, 'secret.txt'), 'private key material');
    symlinkSync(join(outside, 'secret.txt'), join(site, 'sub', 'leak.txt'));
    symlinkSync(outside, join(site, 'linked'));

    const r = await runCli(['deploy', site, '--name', 'linky'], { dataDir: s.dataDir });
    assert.equal(r.code, 0, r.stderr + r.stdout);
    const said = r.stdout + r.stderr;
    assert.match(said, /skipped symbolic link sub\/leak\.txt/);
    assert.match(said, /skipped symbolic link linked\b/);

    const files = await s.op('apps.files.read', { app: 'linky', path: 'sub/leak.txt' });
    assert.equal(files.status, 404, JSON.stringify(files.body));
    const page = await s.get('/sub/leak.txt', 'linky.localhost');
    assert.equal(page.status, 404);
    assert.doesNotMatch(await page.text(), /private key material/);
    assert.equal((await s.get('/', 'linky.localhost')).status, 200);
  });
});
