import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { runCli, startServer, type TestServer } from '../helpers/server.js';
import { tempDir } from '../helpers/temp.js';

let s: TestServer;
before(async () => (s = await startServer()));
after(() => s.close());

const cli = (args: string[]) => runCli(args, { dataDir: s.dataDir });

test('a hand-written command refuses an unknown flag, naming the valid ones and the likely one', async () => {
  const t = tempDir();
  try {
    const site = join(t.dir, 'site');
    mkdirSync(site);
    writeFileSync(join(site, 'index.html'), '<h1>hi</h1>');
    const r = await cli(['deploy', site, '--nmae', 'typo']);
    assert.equal(r.code, 2, r.stdout + r.stderr);
    assert.match(r.stderr, /Unknown flag --nmae for 'fazt deploy'; valid flags: --name, --message/);
    assert.match(r.stderr, /did you mean --name\?/);
    assert.equal(s.kernel.services.apps.find('site'), undefined, 'nothing was deployed');
  } finally {
    t.cleanup();
  }
});

test('every hand-written command checks its flags', async () => {
  for (const argv of [
    ['logs', '--levle', 'warn'],
    ['events', 'watch', '--patern', 'x'],
    ['pulse', 'status', '--frsh'],
    ['pulse', 'trend', 'memory', '--hour', '3'],
    ['mcp', 'start', '--stdio', '--tool', 'apps'],
    ['server', 'start', '--prot', '0'],
  ]) {
    const r = await cli(argv);
    assert.equal(r.code, 2, `${argv.join(' ')}: ${r.stdout}${r.stderr}`);
    assert.match(r.stderr, /Unknown flag --\w+ for 'fazt /, argv.join(' '));
  }
});

test('a generated command refuses an unknown flag with the valid ones and a suggestion', async () => {
  const r = await cli(['apps', 'list', '--include-sytem']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /Unknown flag --include-sytem for 'fazt apps list'; valid flags: --include-system/);
  assert.match(r.stderr, /did you mean --include-system\?/);
});

test('--input with a field the op does not have is refused by the server naming the valid fields', async () => {
  const r = await cli(['apps', 'create', '--input', '{"name": "In", "domain": "x.example"}']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /Unknown field 'domain' for apps\.create; valid fields: name, slug/);
});
