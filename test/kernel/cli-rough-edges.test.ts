import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { main } from '../../src/surfaces/cli/main.js';
import { followCli, runCli, startServer, type TestServer } from '../helpers/server.js';
import { tempDir } from '../helpers/temp.js';

let s: TestServer;
const children: ChildProcess[] = [];
before(async () => (s = await startServer()));
after(async () => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  await s.close();
});

const cli = (args: string[]) => runCli(args, { dataDir: s.dataDir });

test('help marks optional positionals as optional', async () => {
  const r = await runCli(['deploy', 'rollback', '--help']);
  assert.equal(r.code, 0);
  assert.match(r.stdout, /^fazt deploy rollback <app> \[version\] \[options\]$/m);
  const all = await runCli(['--help']);
  assert.match(all.stdout, /storage kv list <app> \[prefix\]/);
  assert.match(all.stdout, /storage kv get <app> <key>/);
});

test('--input @file that does not exist is a usage error naming the file', async () => {
  const r = await cli(['apps', 'create', '--input', '@/no/such/dir/app.json']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /\/no\/such\/dir\/app\.json/);
  assert.doesNotMatch(r.stderr, /ENOENT/);
});

test('events emit takes the event data with --payload; --data stays the data dir', async () => {
  const ok = await cli(['events', 'emit', 'test.payload', '--payload', '{"v":3}', '--persist', '--json']);
  assert.equal(ok.code, 0, ok.stderr);
  assert.deepEqual(JSON.parse(ok.stdout).data, { v: 3 });
  const old = await cli(['events', 'emit', 'test.old', '--data', '{"v":3}']);
  assert.equal(old.code, 2);
  assert.match(old.stderr, /--payload/);
  const listed = await s.op('events.list', { type: 'test.old' });
  assert.equal(listed.body.events.length, 0, 'nothing was emitted');
});

test("events watch 'app:*' streams app events and never names a type the user did not type", async () => {
  const w = followCli(['events', 'watch', 'app:*'], s.dataDir);
  children.push(w.child);
  await w.until(w.err, (e) => /Watching app:\*/.test(e), 'the watch to start');
  const r = await s.op('events.emit', { type: 'app:shop.order.created', data: { n: 1 } });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  await w.until(w.out, (o) => o.includes('app:shop.order.created'), 'the app event');
  assert.doesNotMatch(w.err(), /app:x/);
  w.child.kill('SIGINT');
});

test('logs show request ids in full, so lines of different requests differ', async () => {
  const app = s.kernel.services.apps.create('Req', 'req');
  s.kernel.services.logs.write({ appId: app.id, level: 'info', message: 'first', requestId: '0123456789ab-1' });
  s.kernel.services.logs.write({ appId: app.id, level: 'info', message: 'second', requestId: '0123456789ab-2' });
  const r = await cli(['logs', 'req']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /first.*req=0123456789ab-1\b/);
  assert.match(r.stdout, /second.*req=0123456789ab-2\b/);
});

test("the terminal confirmation shows what the op will do, in the op's words", async () => {
  const app = s.kernel.services.apps.create('Doomed', 'doomed');
  const questions: string[] = [];
  const out: string[] = [];
  const io = (answer: string) => ({
    out: (x: string) => out.push(x),
    err: (x: string) => out.push(x),
    isTTY: true,
    prompt: async (q: string) => (questions.push(q), answer),
  });
  const no = await main(['apps', 'remove', 'doomed', '--data', s.dataDir], io('n'));
  assert.equal(no, 5);
  assert.match(questions[0], new RegExp(`Delete app 'doomed' \\(${app.id}\\) with all its versions, files and data\\.`));
  assert.doesNotMatch(questions[0], /\{"id"/);
  assert.ok(s.kernel.services.apps.find('doomed'), 'still there');
  const yes = await main(['apps', 'remove', 'doomed', '--data', s.dataDir], io('y'));
  assert.equal(yes, 0, out.join('\n'));
  assert.equal(s.kernel.services.apps.find('doomed'), undefined);
});

test('key/value output renders nested objects as dotted keys, not JSON', async () => {
  const r = await cli(['server', 'info']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^caller\.name\s+owner$/m);
  assert.doesNotMatch(r.stdout, /\{"name"/);
});

test('counts are pluralised: a one-file deploy says "1 file"', async () => {
  const t = tempDir();
  try {
    const site = join(t.dir, 'one');
    mkdirSync(site);
    writeFileSync(join(site, 'index.html'), '<h1>one</h1>');
    const r = await cli(['deploy', site]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /: 1 file, /);
  } finally {
    t.cleanup();
  }
});
