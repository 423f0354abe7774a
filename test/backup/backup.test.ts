import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { readManifest } from '../../src/backup/archive.js';
import { runCli, startServer } from '../helpers/server.js';
import { tempDir } from '../helpers/temp.js';

function integrity(file: string): string {
  const db = new Database(file, { readonly: true });
  try {
    return (db.pragma('integrity_check') as { integrity_check: string }[]).map((r) => r.integrity_check).join(';');
  } finally {
    db.close();
  }
}

test('a snapshot under sustained kv writes and a deploy in flight restores whole, with every acknowledged write', async () => {
  const s = await startServer();
  const out = tempDir();
  try {
    // Several MB of content so the online backup takes many steps while writes go on.
    const big = randomBytes(6 * 1024 * 1024).toString('base64');
    assert.equal((await s.op('deploy', { app: 'load', files: [{ path: 'index.html', content: '<h1>v1</h1>' }, { path: 'big.bin', content: big, encoding: 'base64' }] })).status, 200);
    const acked: number[] = [];
    let stop = false;
    const writer = (async () => {
      for (let i = 0; !stop; i++) {
        const r = await s.op('storage.kv.set', { app: 'load', key: `k${i}`, value: { i } });
        assert.equal(r.status, 200);
        acked.push(i);
      }
    })();
    while (acked.length < 30) await new Promise((r) => setImmediate(r));
    const deploy = s.op('deploy', { app: 'load', files: [{ path: 'index.html', content: '<h1>v2</h1>' }, { path: 'other.bin', content: randomBytes(2 * 1024 * 1024).toString('base64'), encoding: 'base64' }] });
    const ackedBefore = acked.length;
    const b = await s.op('backup.create', { note: 'under load' });
    stop = true;
    await writer;
    assert.equal((await deploy).status, 200);
    assert.equal(b.status, 200, JSON.stringify(b.body));
    assert.ok(acked.length > ackedBefore, 'writes went on while the snapshot ran');

    const r = await runCli(['backup', 'restore', b.body.location, '--json'], { dataDir: out.dir });
    assert.equal(r.code, 0, r.stderr);
    const file = join(out.dir, 'data.db');
    assert.equal(integrity(file), 'ok');
    const db = new Database(file, { readonly: true });
    try {
      const keys = new Set((db.prepare("SELECT key FROM app_kv").all() as { key: string }[]).map((x) => x.key));
      for (let i = 0; i < ackedBefore; i++) assert.ok(keys.has(`k${i}`), `write k${i} acknowledged before the snapshot is in it`);
      const v = db.prepare("SELECT COUNT(*) AS n FROM app_versions v JOIN apps a ON a.id = v.app_id WHERE a.slug = 'load' AND v.status = 'active'").get() as { n: number };
      assert.ok(v.n <= 1);
    } finally {
      db.close();
    }
  } finally {
    await s.close();
    out.cleanup();
  }
});

test('create, list, verify and delete a local backup: files 0600, manifest without the master key', async () => {
  const s = await startServer();
  try {
    await s.op('deploy', { app: 'site', files: [{ path: 'index.html', content: 'hello' }] });
    await s.op('storage.kv.set', { app: 'site', key: 'a', value: 1 });
    s.kernel.services.secrets.set('test.secret', 'hunter2-value');
    const b = await s.op('backup.create', { note: 'first' });
    assert.equal(b.status, 200, JSON.stringify(b.body));
    assert.match(b.body.id, /^bk-\d{8}T\d{6}Z-[0-9a-f]{6}$/);
    assert.equal(b.body.location, join(s.dataDir, 'backups', `${b.body.id}.faztbak`));
    for (const f of readdirSync(join(s.dataDir, 'backups')).filter((n) => !n.startsWith('.'))) {
      assert.equal(statSync(join(s.dataDir, 'backups', f)).mode & 0o777, 0o600, f);
    }
    const m = readManifest(b.body.location);
    assert.equal(m.sha256, b.body.sha256);
    assert.deepEqual(m.secretsNeedingMasterKey, ['test.secret']);
    assert.ok(m.schema.apps >= 1 && m.schema.core >= 1);
    assert.equal(m.note, 'first');
    assert.equal(m.compression, 'gzip');
    assert.equal(m.encrypted, false);
    assert.ok(!existsSync(join(s.dataDir, 'backups', 'master.key')));

    const list = await s.op('backup.list', {});
    assert.deepEqual(list.body.backups.map((x: { id: string }) => x.id), [b.body.id]);

    const v = await s.op('backup.verify', { id: b.body.id });
    assert.equal(v.status, 200, JSON.stringify(v.body));
    assert.equal(v.body.counts.kvRows, 1);
    assert.ok(v.body.counts.apps >= 1);

    // Destructive: a caller that is not a present human gets a halt, the owner at the terminal deletes.
    const halted = await s.op('backup.delete', { id: b.body.id });
    assert.equal(halted.status, 202);
    assert.equal((await s.op('backup.list', {})).body.backups.length, 1);
    const del = await s.op('backup.delete', { id: b.body.id }, { human: true });
    assert.equal(del.status, 200, JSON.stringify(del.body));
    assert.equal((await s.op('backup.list', {})).body.backups.length, 0);
    assert.ok(!existsSync(b.body.location));

    const status = await s.op('backup.status', {});
    assert.equal(status.body.lastGoodId, b.body.id);
    assert.equal(status.body.targetType, 'local');
  } finally {
    await s.close();
  }
});

test('bad input is refused by name and loses nothing', async () => {
  const s = await startServer();
  try {
    const unknown = await s.op('backup.create', { nope: 1 });
    assert.equal(unknown.status, 400);
    assert.match(JSON.stringify(unknown.body), /nope/);
    const badId = await s.op('backup.verify', { id: '../etc/passwd' });
    assert.equal(badId.status, 400);
    assert.match(badId.body.error.message, /bk-/);
    const missing = await s.op('backup.verify', { id: 'bk-20200101T000000Z-abcdef' });
    assert.equal(missing.status, 404);
    const every = await s.op('backup.configure', { every: 'sometimes' });
    assert.equal(every.status, 400);
    assert.match(every.body.error.message, /every/);
    const noCreds = await s.op('backup.configure', { target: { type: 's3', endpoint: 'http://127.0.0.1:9', bucket: 'bkt' } });
    assert.equal(noCreds.status, 400);
    assert.match(noCreds.body.error.message, /accessKeyId/);
    const encNoPass = await s.op('backup.configure', { encrypt: true });
    assert.equal(encNoPass.status, 400);
    assert.match(encNoPass.body.error.message, /passphrase/);
    // Nothing changed.
    const st = await s.op('backup.status', {});
    assert.equal(st.body.targetType, 'local');
    assert.equal(st.body.encrypt, false);
    assert.equal(st.body.every, null);
  } finally {
    await s.close();
  }
});

test('an encrypted backup needs its passphrase; a wrong one is named, the right one restores', async () => {
  const s = await startServer();
  const out = tempDir();
  try {
    await s.op('deploy', { app: 'enc', files: [{ path: 'index.html', content: 'e' }] });
    assert.equal((await s.op('storage.kv.set', { app: 'enc', key: 'x', value: 'y' })).status, 200);
    const cfg = await s.op('backup.configure', { encrypt: true, passphrase: 'correct horse battery' });
    assert.equal(cfg.status, 200, JSON.stringify(cfg.body));
    assert.equal(cfg.body.hasPassphrase, true);
    assert.ok(!JSON.stringify(cfg.body).includes('correct horse'));
    const b = await s.op('backup.create', {});
    assert.equal(b.status, 200, JSON.stringify(b.body));
    assert.equal(b.body.encrypted, true);
    const audit = s.kernel.db.prepare("SELECT input FROM audit WHERE op = 'backup.configure'").all() as { input: string }[];
    assert.ok(audit.length && audit.every((a) => !a.input.includes('correct horse')), 'passphrase kept out of the audit');
    const noPass = await runCli(['backup', 'restore', b.body.location], { dataDir: out.dir });
    assert.equal(noPass.code, 2);
    assert.match(noPass.stderr, /encrypted: give its passphrase/);
    const wrong = await runCli(['backup', 'restore', b.body.location, '--passphrase', 'wrong wrong wrong'], { dataDir: out.dir });
    assert.equal(wrong.code, 2);
    assert.match(wrong.stderr, /wrong passphrase/);
    assert.ok(!existsSync(join(out.dir, 'data.db')), 'a refused restore leaves nothing behind');
    const ok = await runCli(['backup', 'restore', b.body.location, '--json'], { dataDir: out.dir, env: { FAZT_BACKUP_PASSPHRASE: 'correct horse battery' } });
    assert.equal(ok.code, 0, ok.stderr);
    assert.equal(JSON.parse(ok.stdout).counts.kvRows, 1);
    // The server's own verify uses the stored passphrase.
    assert.equal((await s.op('backup.verify', {})).status, 200);
  } finally {
    await s.close();
    out.cleanup();
  }
});
