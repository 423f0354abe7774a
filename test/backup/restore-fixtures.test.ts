import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { copyFileSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { appsMigrations } from '../../src/apps/migrations.js';
import { ROOT } from '../helpers/paths.js';
import { runCli, startServer } from '../helpers/server.js';
import { tempDir } from '../helpers/temp.js';

const FIXTURES = join(ROOT, 'test', 'fixtures', 'backup');

test('a backup made by fazt 0.1.0 restores into a new data dir, and a server starts on it with its pages and data', async () => {
  const out = tempDir();
  try {
    const r = await runCli(['backup', 'restore', join(FIXTURES, 'v0.1.0.faztbak'), '--json'], { dataDir: out.dir });
    assert.equal(r.code, 0, r.stderr);
    const res = JSON.parse(r.stdout);
    assert.equal(res.replaced, null);
    assert.equal(res.counts.kvRows, 1);
    assert.ok(res.counts.tables > 10);
    // The owner key of the old server is not in this dir's client.json: a new one is made for it.
    const reset = await runCli(['auth', 'owner-key', 'reset'], { dataDir: out.dir });
    assert.equal(reset.code, 0, reset.stderr);
    const s = await startServer({ dataDir: out.dir });
    try {
      const page = await s.get('/', 'legacy.localhost');
      assert.equal(await page.text(), '<h1>made by 0.1.0</h1>');
      const kv = await s.op('storage.kv.get', { app: 'legacy', key: 'greeting' });
      assert.equal(kv.body.value, 'hello from the past');
    } finally {
      await s.close();
    }
  } finally {
    out.cleanup();
  }
});

const APPS_LATEST = Math.max(...appsMigrations.map((m) => m.version));

test('a backup at an older schema is upgraded through the migrations', async () => {
  const out = tempDir();
  try {
    const r = await runCli(['backup', 'restore', join(FIXTURES, 'older-apps-v1.faztbak'), '--json'], { dataDir: out.dir });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(JSON.parse(r.stdout).upgraded, true);
    const db = new Database(join(out.dir, 'data.db'), { readonly: true });
    try {
      // Upgraded through every migration this fazt has, not just the next one.
      assert.equal(db.prepare("SELECT MAX(version) FROM schema_migrations WHERE module = 'apps'").pluck().get(), APPS_LATEST);
      assert.ok(db.prepare("SELECT 1 FROM pragma_table_info('app_versions') WHERE name = 'message'").get(), 'migration 2 added its column');
      assert.equal(db.prepare("SELECT value FROM app_kv WHERE key = 'greeting'").pluck().get(), '"hello from the past"');
    } finally {
      db.close();
    }
  } finally {
    out.cleanup();
  }
});

test('a backup from a newer schema is refused with a clear message, and the data dir is untouched', async () => {
  const s = await startServer();
  const dataDir = s.dataDir;
  await s.op('deploy', { app: 'mine', files: [{ path: 'index.html', content: 'mine' }] });
  await s.stop();
  try {
    const before = readFileSync(join(dataDir, 'data.db'));
    const r = await runCli(['backup', 'restore', join(FIXTURES, 'newer-schema.faztbak'), '--yes'], { dataDir });
    assert.equal(r.code, 1);
    assert.match(r.stderr, new RegExp(String.raw`Restore refused: Backup bk-20261101T000000Z-00beef was made by a newer fazt \(9\.0\.0\): module 'apps' is at schema 99, this fazt knows ${APPS_LATEST}\. Upgrade fazt`));
    assert.ok(readFileSync(join(dataDir, 'data.db')).equals(before));
    assert.deepEqual(readdirSync(dataDir).filter((f) => f.startsWith('data.db.replaced') || f.startsWith('.restore')), []);
  } finally {
    await s.close();
  }
});

test('a damaged or foreign file is refused by its checksum or its missing trailer', async () => {
  const out = tempDir();
  try {
    const bad = join(out.dir, 'bad.faztbak');
    const bytes = readFileSync(join(FIXTURES, 'v0.1.0.faztbak'));
    bytes[100] ^= 0xff;
    writeFileSync(bad, bytes);
    const target = join(out.dir, 'data');
    const r = await runCli(['backup', 'restore', bad], { dataDir: target });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /is damaged: its sha256 is [0-9a-f]{64}, the manifest says/);
    assert.ok(!existsSync(join(target, 'data.db')));
    const foreign = join(out.dir, 'notes.txt');
    writeFileSync(foreign, 'just some text');
    const f = await runCli(['backup', 'restore', foreign], { dataDir: target });
    assert.match(f.stderr, /not a fazt backup/);
    const none = await runCli(['backup', 'restore', join(out.dir, 'missing.faztbak')], { dataDir: target });
    assert.equal(none.code, 4);
    assert.match(none.stderr, /No backup file/);
    const flag = await runCli(['backup', 'restore', bad, '--pasphrase', 'x'], { dataDir: target });
    assert.equal(flag.code, 2);
    assert.match(flag.stderr, /did you mean --passphrase/);
  } finally {
    out.cleanup();
  }
});

test('restoring over an existing stopped data dir needs --yes and keeps the replaced database', async () => {
  const s = await startServer();
  const dataDir = s.dataDir;
  await s.op('deploy', { app: 'current', files: [{ path: 'index.html', content: 'now' }] });
  await s.stop();
  try {
    const refused = await runCli(['backup', 'restore', join(FIXTURES, 'v0.1.0.faztbak')], { dataDir });
    assert.equal(refused.code, 5);
    assert.match(refused.stderr, /pass --yes/);
    const r = await runCli(['backup', 'restore', join(FIXTURES, 'v0.1.0.faztbak'), '--yes', '--json'], { dataDir });
    assert.equal(r.code, 0, r.stderr);
    const { replaced } = JSON.parse(r.stdout);
    const old = new Database(replaced, { readonly: true });
    assert.equal(old.prepare("SELECT COUNT(*) FROM apps WHERE slug = 'current'").pluck().get(), 1);
    old.close();
    const now = new Database(join(dataDir, 'data.db'), { readonly: true });
    assert.equal(now.prepare("SELECT COUNT(*) FROM apps WHERE slug = 'current'").pluck().get(), 0);
    now.close();
  } finally {
    await s.close();
  }
});

test('over a live server, restore goes through the server: a halt for a model, the owner at the terminal restores', async () => {
  const s = await startServer();
  try {
    await s.op('deploy', { app: 'live', files: [{ path: 'index.html', content: 'before' }] });
    const b = await s.op('backup.create', {});
    await s.op('deploy', { app: 'live', files: [{ path: 'index.html', content: 'after' }] });
    assert.equal(await (await s.get('/', 'live.localhost')).text(), 'after');
    const halted = await s.op('backup.restore', { id: b.body.id });
    assert.equal(halted.status, 202);
    const fileRefused = await runCli(['backup', 'restore', b.body.location, '--yes'], { dataDir: s.dataDir });
    assert.equal(fileRefused.code, 2);
    assert.match(fileRefused.stderr, /A server is running on/);
    const r = await runCli(['backup', 'restore', b.body.id, '--yes', '--json'], { dataDir: s.dataDir });
    assert.equal(r.code, 0, r.stderr + r.stdout);
    const out = JSON.parse(r.stdout);
    assert.ok(existsSync(out.replaced));
    assert.equal(await (await s.get('/', 'live.localhost')).text(), 'before');
  } finally {
    await s.close();
  }
});
