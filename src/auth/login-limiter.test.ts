import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { openDatabase } from '../store/db.js';
import { authMigrations } from './migrations.js';
import { FIRST_LOCK_MS, FREE_FAILURES, LoginLimiter, MAX_LOCK_MS } from './login-limiter.js';
import { migrate } from '../store/migrations.js';

test('lockout starts at the fifth failure and doubles up to an hour', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fazt-limiter-'));
  const db = openDatabase(dir);
  try {
    migrate(db, [{ name: 'auth', migrations: authMigrations }]);
    const l = new LoginLimiter(db);
    let now = Date.parse('2026-01-01T00:00:00Z');
    for (let i = 1; i < FREE_FAILURES; i++) assert.equal(l.fail('a', now), 0, `failure ${i} is free`);
    assert.equal(l.lockedFor('a', now), 0);
    assert.equal(l.fail('a', now), FIRST_LOCK_MS);
    assert.equal(l.lockedFor('a', now + 1000), FIRST_LOCK_MS - 1000);
    assert.equal(l.lockedFor('b', now), 0, 'another address is not locked');
    now += FIRST_LOCK_MS;
    assert.equal(l.fail('a', now), FIRST_LOCK_MS * 2);
    for (let i = 0; i < 20; i++) l.fail('a', (now += 1000));
    assert.equal(l.lockedFor('a', now), MAX_LOCK_MS);
    l.succeed('a');
    assert.equal(l.lockedFor('a', now), 0);
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
