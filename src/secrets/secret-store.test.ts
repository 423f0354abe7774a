import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { migrate } from '../store/migrations.js';
import { secretsMigrations } from './migrations.js';
import { SecretStore } from './secret-store.js';
import { open, seal } from './sealed.js';
import { parseMasterKey } from './master-key.js';

function fresh(): { dir: string; db: Database.Database } {
  const dir = mkdtempSync(join(tmpdir(), 'fazt-secrets-'));
  const db = new Database(join(dir, 'data.db'));
  migrate(db, [{ name: 'secrets', migrations: secretsMigrations }]);
  return { dir, db };
}

test('a secret round-trips, is not stored in plain text, and the key file is 0600', () => {
  delete process.env.FAZT_MASTER_KEY;
  const { dir, db } = fresh();
  const store = new SecretStore(db, dir);
  store.set('ai.anthropic.apiKey', 'sk-canary-1234567890');
  assert.equal(store.get('ai.anthropic.apiKey'), 'sk-canary-1234567890');
  db.close();
  assert.ok(!readFileSync(join(dir, 'data.db')).includes('sk-canary'));
  assert.equal(statSync(join(dir, 'master.key')).mode & 0o777, 0o600);
});

test('a lost master key gives a clear error naming what to set again', () => {
  delete process.env.FAZT_MASTER_KEY;
  const { dir, db } = fresh();
  new SecretStore(db, dir).set('notify.mail.password', 'hunter2');
  process.env.FAZT_MASTER_KEY = 'ab'.repeat(32);
  try {
    const other = new SecretStore(db, dir);
    assert.throws(() => other.get('notify.mail.password'), (e: Error & { code?: string; details?: { unreadable: string[] } }) => {
      assert.equal(e.code, 'SECRET_UNREADABLE');
      assert.match(e.message, /notify\.mail\.password/);
      assert.deepEqual(e.details?.unreadable, ['notify.mail.password']);
      return true;
    });
    assert.deepEqual(other.list().map((s) => s.readable), [false]);
  } finally {
    delete process.env.FAZT_MASTER_KEY;
  }
});

test('a sealed value does not open under another name or after tampering', () => {
  const key = parseMasterKey('cd'.repeat(32));
  const s = seal(key, 'a', 'value');
  assert.equal(open(key, 'a', s), 'value');
  assert.throws(() => open(key, 'b', s));
  const parts = s.split('.');
  parts[3] = Buffer.from('tampered').toString('base64url');
  assert.throws(() => open(key, 'a', parts.join('.')));
});

test('a malformed FAZT_MASTER_KEY is refused with the expected form', () => {
  assert.throws(() => parseMasterKey('short'), /64 hex characters or base64/);
});
