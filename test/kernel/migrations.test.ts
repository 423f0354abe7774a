import assert from 'node:assert/strict';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { Kernel } from '../../src/kernel/kernel.js';
import { allModules } from '../../src/kernel/modules.js';
import { migrate, NewerDatabaseError } from '../../src/store/migrations.js';
import { tempDir } from '../helpers/temp.js';

test('a database from an older schema upgrades in place and keeps its rows', () => {
  const t = tempDir();
  try {
    const db = new Database(join(t.dir, 'data.db'));
    migrate(db, [{ name: 'notes', migrations: [{ version: 1, name: 'notes', up: 'CREATE TABLE notes (body TEXT)' }] }]);
    db.prepare('INSERT INTO notes VALUES (?)').run('kept');
    migrate(db, [
      {
        name: 'notes',
        migrations: [
          { version: 1, name: 'notes', up: 'CREATE TABLE notes (body TEXT)' },
          { version: 2, name: 'add at', up: "ALTER TABLE notes ADD COLUMN at TEXT DEFAULT 'now'" },
        ],
      },
    ]);
    assert.deepEqual(db.prepare('SELECT body, at FROM notes').all(), [{ body: 'kept', at: 'now' }]);
    db.close();
  } finally {
    t.cleanup();
  }
});

test('a database written by a newer fazt is refused with a clear message, untouched', () => {
  const t = tempDir();
  try {
    const k = new Kernel(allModules(), { dataDir: t.dir });
    k.db.prepare("INSERT INTO schema_migrations VALUES ('core', 999, 'future', 'x')").run();
    void k.stop();
    assert.throws(() => new Kernel(allModules(), { dataDir: t.dir }), (e: Error) => e instanceof NewerDatabaseError && /newer fazt/.test(e.message));
    const db = new Database(join(t.dir, 'data.db'));
    assert.equal((db.prepare("SELECT MAX(version) AS v FROM schema_migrations WHERE module = 'core'").get() as { v: number }).v, 999);
    db.close();
  } finally {
    t.cleanup();
  }
});

test('a module this build does not know is refused too', () => {
  const t = tempDir();
  try {
    const k = new Kernel(allModules(), { dataDir: t.dir });
    k.db.prepare("INSERT INTO schema_migrations VALUES ('from-the-future', 1, 'x', 'x')").run();
    void k.stop();
    assert.throws(() => new Kernel(allModules(), { dataDir: t.dir }), /from-the-future/);
  } finally {
    t.cleanup();
  }
});

test('a failing migration rolls back and leaves the version unrecorded', () => {
  const t = tempDir();
  try {
    const db = new Database(join(t.dir, 'data.db'));
    assert.throws(() =>
      migrate(db, [{ name: 'bad', migrations: [{ version: 1, name: 'bad', up: 'CREATE TABLE ok1 (a); THIS IS NOT SQL' }] }]),
    );
    assert.equal((db.prepare("SELECT COUNT(*) AS n FROM sqlite_master WHERE name = 'ok1'").get() as { n: number }).n, 0);
    assert.equal((db.prepare("SELECT COUNT(*) AS n FROM schema_migrations WHERE module = 'bad'").get() as { n: number }).n, 0);
    db.close();
  } finally {
    t.cleanup();
  }
});
