import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import * as OTPAuth from 'otpauth';
import { currentCode } from '../../src/auth/totp.js';
import { runCli, startServer } from '../helpers/server.js';
import { tempDir } from '../helpers/temp.js';

/** Every byte fazt keeps in the data dir's database files, after a checkpoint. */
function databaseBytes(dir: string): Buffer {
  const db = new Database(join(dir, 'data.db'));
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  const parts = ['data.db', 'data.db-wal', 'data.db-shm'].map((f) => join(dir, f)).filter(existsSync);
  return Buffer.concat(parts.map((p) => readFileSync(p)));
}

function assertSeedAbsent(dir: string, seed: string): void {
  const bytes = databaseBytes(dir);
  assert.ok(!bytes.includes(seed), 'the base32 seed is not in the database files');
  assert.ok(!bytes.includes(Buffer.from(OTPAuth.Secret.fromBase32(seed).bytes)), 'the raw seed bytes are not in the database files');
}

test('the TOTP seed is kept in the secrets store: data.db never holds it in plain text', async () => {
  delete process.env.FAZT_MASTER_KEY;
  const tmp = tempDir();
  try {
    let s = await startServer({ dataDir: tmp.dir });
    const en = await s.op('auth.totp.enable', {}, { human: true });
    assert.equal(en.status, 200, JSON.stringify(en.body));
    const seed = en.body.secret as string;
    const ok = await s.op('auth.totp.confirm', { code: currentCode(seed, 'localhost') }, { human: true });
    assert.equal(ok.status, 200, JSON.stringify(ok.body));
    await s.close();
    assertSeedAbsent(tmp.dir, seed);

    // After a restart the sealed seed still checks codes.
    s = await startServer({ dataDir: tmp.dir });
    try {
      assert.equal((await s.op('auth.totp.status')).body.enabled, true);
      const without = await s.op('tokens.create', { name: 'a', cap: ['kernel:apps:read'] }, { human: true });
      assert.equal(without.status, 401);
      const withCode = await s.op('tokens.create', { name: 'a', cap: ['kernel:apps:read'], code: currentCode(seed, 'localhost') }, { human: true });
      assert.equal(withCode.status, 200, JSON.stringify(withCode.body));
      const off = await s.op('auth.totp.disable', { code: currentCode(seed, 'localhost') }, { human: true });
      assert.equal(off.status, 200, JSON.stringify(off.body));
      assert.equal(s.kernel.services.secrets.has('auth.totp.seed'), false, 'disabling removes the sealed seed');
    } finally {
      await s.close();
    }
  } finally {
    tmp.cleanup();
  }
});

test('a plain-text TOTP seed left by an earlier version is moved into the secrets store on start', async () => {
  delete process.env.FAZT_MASTER_KEY;
  const tmp = tempDir();
  try {
    let s = await startServer({ dataDir: tmp.dir });
    await s.close();
    const seed = new OTPAuth.Secret({ size: 20 }).base32;
    const db = new Database(join(tmp.dir, 'data.db'));
    db.prepare("INSERT INTO settings (key, value, updated_at) VALUES ('auth.totp', ?, ?)").run(JSON.stringify({ secret: seed, enabled: true }), new Date().toISOString());
    db.close();
    assert.ok(readFileSync(join(tmp.dir, 'data.db')).includes(seed), 'the old layout really is plain text');

    s = await startServer({ dataDir: tmp.dir });
    try {
      const row = s.kernel.db.prepare("SELECT value FROM settings WHERE key = 'auth.totp'").get() as { value: string };
      assert.deepEqual(JSON.parse(row.value), { enabled: true }, 'only the state stays in settings');
      assert.equal(s.kernel.services.secrets.has('auth.totp.seed'), true);
      assertSeedAbsent(tmp.dir, seed);
      // The migrated seed still guards what it guarded.
      const without = await s.op('tokens.create', { name: 'b', cap: ['kernel:apps:read'] }, { human: true });
      assert.equal(without.status, 401);
      const withCode = await s.op('tokens.create', { name: 'b', cap: ['kernel:apps:read'], code: currentCode(seed, 'localhost') }, { human: true });
      assert.equal(withCode.status, 200, JSON.stringify(withCode.body));
    } finally {
      await s.close();
    }
    assertSeedAbsent(tmp.dir, seed);
  } finally {
    tmp.cleanup();
  }
});

test('a TOTP seed sealed under a lost master key: the error says how to recover, and owner-key reset --disable-totp recovers', async () => {
  delete process.env.FAZT_MASTER_KEY;
  const tmp = tempDir();
  try {
    let s = await startServer({ dataDir: tmp.dir });
    const en = await s.op('auth.totp.enable', {}, { human: true });
    await s.op('auth.totp.confirm', { code: currentCode(en.body.secret, 'localhost') }, { human: true });
    await s.close();

    process.env.FAZT_MASTER_KEY = 'ef'.repeat(32);
    s = await startServer({ dataDir: tmp.dir });
    try {
      const stuck = await s.op('tokens.create', { name: 'c', cap: ['kernel:apps:read'], code: currentCode(en.body.secret, 'localhost') }, { human: true });
      assert.notEqual(stuck.status, 200);
      assert.match(stuck.body.error.message, /master key/);
      assert.match(stuck.body.error.message, /fazt auth owner-key reset --disable-totp/);

      const r = await runCli(['auth', 'owner-key', 'reset', '--disable-totp', '--json'], { dataDir: tmp.dir });
      assert.equal(r.code, 0, r.stderr);
      const { token, totpDisabled } = JSON.parse(r.stdout) as { token: string; totpDisabled: boolean };
      assert.equal(totpDisabled, true);
      assert.equal((await s.op('auth.totp.status', {}, { token })).body.enabled, false);
      const created = await s.op('tokens.create', { name: 'c', cap: ['kernel:apps:read'] }, { token, human: true });
      assert.equal(created.status, 200, JSON.stringify(created.body));
    } finally {
      delete process.env.FAZT_MASTER_KEY;
      await s.close();
    }
  } finally {
    tmp.cleanup();
  }
});
