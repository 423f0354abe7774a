import assert from 'node:assert/strict';
import { existsSync, rmSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { test } from 'node:test';
import { readClientConfig } from '../../src/server/client-config.js';
import { runCli, spawnServer, startServer } from '../helpers/server.js';
import { tempDir } from '../helpers/temp.js';

/** A port the OS gave us, held open so fazt cannot have it. */
async function occupiedPort(): Promise<{ port: number; server: Server }> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as { port: number }).port, server };
}

test('a first start on a busy port says so and loses nothing: the next start shows the owner key', async (t) => {
  const tmp = tempDir();
  const busy = await occupiedPort();
  try {
    const r = await runCli(['server', 'start', '--port', String(busy.port), '--no-example'], { dataDir: tmp.dir });
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, new RegExp(`port ${busy.port} is in use`));
    assert.match(r.stderr, /try --port/);
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
    assert.equal(existsSync(join(tmp.dir, 'client.json')), false);

    const s = await spawnServer(tmp.dir, ['--no-example']);
    t.after(() => s.stop());
    const cfg = readClientConfig(tmp.dir);
    assert.ok(cfg, 'client.json written on the first start that listened');
    assert.ok((await s.waitForOutput(/fzt_\w+_\S+/)).includes(cfg.token), 'the owner key is shown');
    assert.doesNotMatch(s.output(), /master/i, 'a normal start says nothing about the master key');
    const list = await runCli(['apps', 'list', '--json'], { dataDir: tmp.dir });
    assert.equal(list.code, 0, list.stderr);
    await s.stop();
  } finally {
    busy.server.close();
    tmp.cleanup();
  }
});

test('fazt auth owner-key reset: the old key stops working, the new one works and is saved 0600', async () => {
  const s = await startServer();
  try {
    const old = s.token;
    const r = await runCli(['auth', 'owner-key', 'reset', '--json'], { dataDir: s.dataDir });
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout) as { token: string; clientConfig: string };
    assert.match(out.token, /^fzt_[a-f0-9]{12}_/);
    assert.notEqual(out.token, old);
    assert.equal((await s.op('apps.list', {}, { token: old })).status, 401);
    assert.equal((await s.op('apps.list', {}, { token: out.token })).status, 200);
    const cfg = readClientConfig(s.dataDir)!;
    assert.equal(cfg.token, out.token);
    assert.equal(cfg.url, s.url);
    assert.equal(out.clientConfig, join(s.dataDir, 'client.json'));
    assert.equal(statSync(join(s.dataDir, 'client.json')).mode & 0o777, 0o600);
    // The local CLI follows client.json, so it keeps working with no flags.
    const list = await runCli(['apps', 'list', '--json'], { dataDir: s.dataDir });
    assert.equal(list.code, 0, list.stderr);

    // For a person: printed once, with where it was saved.
    const again = await runCli(['auth', 'owner-key', 'reset'], { dataDir: s.dataDir });
    assert.equal(again.code, 0, again.stderr);
    const key = readClientConfig(s.dataDir)!.token;
    assert.ok(again.stdout.includes(key));
    assert.ok(again.stdout.includes(join(s.dataDir, 'client.json')));
    assert.equal((await s.op('apps.list', {}, { token: out.token })).status, 401);
    const audit = await s.op('audit.query', { op: 'auth.owner-key.reset' }, { token: key });
    assert.equal(audit.status, 200, JSON.stringify(audit.body));
    assert.equal(audit.body.entries.length, 2, 'each reset leaves an audit row');
    assert.ok(!JSON.stringify(audit.body).includes(key), 'the audit row holds no key');
  } finally {
    await s.close();
  }
});

test('a data dir whose owner key was never saved: start says how to recover, and reset recovers it', async (t) => {
  const tmp = tempDir();
  try {
    const first = await startServer({ dataDir: tmp.dir });
    await first.close();
    rmSync(join(tmp.dir, 'client.json'));

    const s = await spawnServer(tmp.dir, ['--no-example']);
    t.after(() => s.stop());
    const out = await s.waitForOutput(/owner-key reset/);
    assert.match(out, /fazt auth owner-key reset/);
    const r = await runCli(['auth', 'owner-key', 'reset', '--json'], { dataDir: tmp.dir });
    assert.equal(r.code, 0, r.stderr);
    const list = await runCli(['apps', 'list', '--json'], { dataDir: tmp.dir });
    assert.equal(list.code, 0, list.stderr);
    await s.stop();
  } finally {
    tmp.cleanup();
  }
});

test('fazt auth owner-key reset has --help, and refuses a dir with no fazt data without creating any', async () => {
  const help = await runCli(['auth', 'owner-key', 'reset', '--help']);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /fazt auth owner-key reset/);
  assert.match(help.stdout, /--json/);
  const tmp = tempDir();
  try {
    const r = await runCli(['auth', 'owner-key', 'reset'], { dataDir: tmp.dir });
    assert.notEqual(r.code, 0);
    assert.ok(r.stderr.includes(tmp.dir), r.stderr);
    assert.match(r.stderr, /fazt server start/);
    assert.equal(existsSync(join(tmp.dir, 'data.db')), false);
  } finally {
    tmp.cleanup();
  }
});
