import assert from 'node:assert/strict';
import { after, beforeEach, describe, it } from 'node:test';
import { coreModule } from '../kernel/core-module.js';
import { Kernel } from '../kernel/kernel.js';
import { openDatabase, type DB } from '../store/db.js';
import { migrate } from '../store/migrations.js';
import { tempDir } from '../../test/helpers/temp.js';
import { LogStore } from './log-store.js';
import { logsMigrations } from './migrations.js';
import { applyRetention, logsModule } from './module.js';
import type { FollowedLine } from './types.js';

const tmp = tempDir();
after(() => tmp.cleanup());
let n = 0;
function freshStore(): { db: DB; store: LogStore } {
  const db = openDatabase(`${tmp.dir}/s${n++}`);
  migrate(db, [{ name: 'logs', migrations: logsMigrations }]);
  return { db, store: new LogStore(db) };
}
const count = (db: DB, table = 'logs') => (db.prepare(`SELECT COUNT(*) AS c FROM ${table}`).get() as { c: number }).c;
const request = (over: Partial<Parameters<LogStore['recordRequest']>[0]> = {}) => ({
  appId: 'app_a', slug: 'a', kind: 'static' as const, method: 'GET', path: '/', status: 200, durationMs: 1.5, bytes: 10, requestId: 'r1', ...over,
});

describe('LogStore', () => {
  let db: DB;
  let store: LogStore;
  beforeEach(() => ({ db, store } = freshStore()));

  it('buffers a burst and writes it in one go', () => {
    for (let i = 0; i < 50; i++) store.write({ appId: 'app_a', level: 'info', message: `line ${i}` });
    assert.equal(count(db), 0, 'nothing written on the hot path');
    assert.equal(store.pending, 50);
    store.flush();
    assert.equal(count(db), 50);
  });

  it('filters by level and above, app, grep and returns newest first', () => {
    store.write({ appId: 'app_a', level: 'debug', message: 'd' });
    store.write({ appId: 'app_a', level: 'info', message: 'i' });
    store.write({ appId: 'app_a', level: 'warn', message: 'w disk 90%' });
    store.write({ appId: 'app_a', level: 'error', message: 'e', fields: { order: 'ORD-7' } });
    store.write({ appId: 'app_b', level: 'error', message: 'other app' });
    const msgs = (f: Parameters<LogStore['queryLogs']>[0]) => store.queryLogs(f).map((l) => l.message);
    assert.deepEqual(msgs({ kind: 'app', appId: 'app_a', level: 'warn' }), ['e', 'w disk 90%']);
    assert.deepEqual(msgs({ kind: 'app', appId: 'app_a' }), ['e', 'w disk 90%', 'i', 'd']);
    assert.deepEqual(msgs({ kind: 'app', level: 'error' }), ['other app', 'e']);
    assert.deepEqual(msgs({ kind: 'app', grep: 'ord-7' }), ['e'], 'grep looks in fields, case-insensitively');
    assert.deepEqual(msgs({ kind: 'app', grep: '90%' }), ['w disk 90%']);
    assert.deepEqual(msgs({ kind: 'app', grep: '%' }), ['w disk 90%'], '% is literal');
    assert.deepEqual(msgs({ kind: 'app', grep: "' OR 1=1 --" }), []);
    assert.deepEqual(msgs({ kind: 'app', limit: 2 }), ['other app', 'e']);
  });

  it('redacts secret-looking field keys and clips huge lines', () => {
    store.write({ appId: 'app_a', level: 'info', message: 'x'.repeat(100_000), fields: { apiKey: 'k', nested: { password: 'p', ok: 1 } } });
    const [line] = store.queryLogs({ kind: 'app' });
    assert.deepEqual(line.fields, { apiKey: '[redacted]', nested: { password: '[redacted]', ok: 1 } });
    assert.ok(Buffer.byteLength(line.message) < 8300);
    assert.match(line.message, /… \[truncated, 100000 bytes\]$/);
  });

  it('stores unknown levels as info and odd messages as text', () => {
    store.write({ appId: 'app_a', level: 'fatal' as never, message: { a: 1 } as never });
    const [line] = store.queryLogs({ kind: 'app' });
    assert.equal(line.level, 'info');
    assert.equal(line.message, '{"a":1}');
  });

  it('records access lines and filters them by status and path', () => {
    store.recordRequest(request());
    store.recordRequest(request({ path: '/missing', status: 404 }));
    store.recordRequest(request({ path: '/api/x', status: 500, kind: 'api' }));
    assert.equal(count(db, 'access_logs'), 0);
    assert.deepEqual(store.queryAccess({ kind: 'access', level: 'warn' }).map((l) => l.status), [500, 404]);
    assert.deepEqual(store.queryAccess({ kind: 'access', level: 'error' }).map((l) => l.path), ['/api/x']);
    assert.deepEqual(store.queryAccess({ kind: 'access', grep: 'miss' }).map((l) => l.status), [404]);
  });

  it('pushes matching new lines to followers at once, with the id they are stored under', () => {
    const got: FollowedLine[] = [];
    const stop = store.follow({ kind: 'app', appId: 'app_a', level: 'warn' }, (i) => got.push(i));
    store.write({ appId: 'app_a', level: 'info', message: 'quiet' });
    store.write({ appId: 'app_b', level: 'error', message: 'elsewhere' });
    store.write({ appId: 'app_a', level: 'error', message: 'loud', fields: { token: 't' } });
    assert.equal(got.length, 1);
    assert.equal(got[0].kind === 'app' && got[0].line.message, 'loud');
    assert.deepEqual(got[0].kind === 'app' ? got[0].line.fields : null, { token: '[redacted]' });
    assert.equal(store.queryLogs({ kind: 'app', grep: 'loud' })[0].id, got[0].line.id);
    stop();
    store.write({ appId: 'app_a', level: 'error', message: 'after' });
    assert.equal(got.length, 1);
  });

  it('deletes by age and caps the row count', () => {
    for (let i = 0; i < 10; i++) store.write({ appId: 'app_a', level: 'info', message: String(i) });
    store.recordRequest(request());
    assert.deepEqual(store.cleanup(new Date(Date.now() + 1000).toISOString(), 'app_other'), { logs: 0, access: 0 });
    assert.deepEqual(store.enforceCap(4), { logs: 6, access: 0 });
    assert.deepEqual(store.queryLogs({ kind: 'app' }).map((l) => l.message), ['9', '8', '7', '6']);
    assert.deepEqual(store.cleanup(new Date(Date.now() + 1000).toISOString()), { logs: 4, access: 1 });
  });

  it('keeps the logs table within a byte budget, newest lines first', () => {
    for (let i = 0; i < 20; i++) store.write({ appId: 'app_a', level: 'info', message: `${i} ${'x'.repeat(1000)}` });
    store.flush();
    const deleted = store.enforceByteCap(5_000);
    assert.ok(deleted.logs >= 15, `deleted ${deleted.logs}`);
    const kept = store.queryLogs({ kind: 'app' });
    assert.ok(kept.length >= 1 && kept.length <= 5, `kept ${kept.length}`);
    assert.match(kept[0].message, /^19 /, 'the newest line stays');
  });
});

describe('static hits', () => {
  it('counts successful static hits per path and status; errors and API calls stay one row each', () => {
    const { db, store } = freshStore();
    for (let i = 0; i < 500; i++) store.recordRequest(request({ durationMs: i % 2 ? 1 : 3, bytes: 100 }));
    for (let i = 0; i < 3; i++) store.recordRequest(request({ path: '/style.css', status: 304, bytes: 0 }));
    store.recordRequest(request({ path: '/missing', status: 404 }));
    store.recordRequest(request({ path: '/api/x', kind: 'api', status: 200 }));
    store.flush();
    assert.equal(count(db, 'access_logs'), 4, '500 + 3 hits became 2 rows, plus 2 single rows');
    const lines = store.queryAccess({ kind: 'access' });
    const home = lines.find((l) => l.path === '/' && l.kind === 'static')!;
    assert.equal(home.hits, 500);
    assert.equal(home.bytes, 50_000);
    assert.equal(home.durationMs, 2);
    assert.equal(lines.find((l) => l.path === '/style.css')!.hits, 3);
    assert.equal(lines.find((l) => l.path === '/missing')!.hits, 1);
    assert.equal(lines.find((l) => l.path === '/api/x')!.requestId, 'r1');
    store.close();
  });

  it('a counted path is stored as any access path: cut to 2048 characters, tokens redacted', () => {
    const { store } = freshStore();
    const token = 'fzt_0123456789ab_' + 'x'.repeat(43);
    store.recordRequest(request({ path: `/${'a'.repeat(5000)}`, count: 3 }));
    store.recordRequest(request({ path: `/t/${token}`, count: 2 }));
    store.flush();
    const paths = store.queryAccess({ kind: 'access' }).map((l) => l.path);
    assert.ok(paths.some((p) => p.length === 2048 && p.startsWith('/aaa')), paths.map((p) => p.length).join());
    assert.ok(!paths.some((p) => p.includes(token)), paths.join());
    store.close();
  });

  it('a window of 0 keeps one row per hit', () => {
    const dir = `${tmp.dir}/each`;
    const db = openDatabase(dir);
    migrate(db, [{ name: 'logs', migrations: logsMigrations }]);
    const store = new LogStore(db, 0);
    for (let i = 0; i < 5; i++) store.recordRequest(request());
    // Counted hits, as the static server reports them, stay one row per report with their count.
    store.recordRequest(request({ path: '/counted', count: 40, bytes: 25, durationMs: 0.5, requestId: '' }));
    store.flush();
    assert.equal(count(db, 'access_logs'), 6);
    const counted = store.queryAccess({ kind: 'access' }).find((l) => l.path === '/counted')!;
    assert.deepEqual([counted.hits, counted.bytes, counted.durationMs, counted.requestId], [40, 1000, 0.5, null]);
    store.close();
  });

  it('counted hits join the window of their path like single ones', () => {
    const { store } = freshStore();
    store.recordRequest(request({ bytes: 100 }));
    store.recordRequest(request({ count: 9, bytes: 100, durationMs: 2.5 }));
    store.flush();
    const home = store.queryAccess({ kind: 'access' }).find((l) => l.path === '/')!;
    assert.deepEqual([home.hits, home.bytes, home.durationMs], [10, 1000, 2.4]);
    store.close();
  });

  it('asks the producers for what they hold back before it reads', () => {
    const { db } = freshStore();
    let held = 3;
    const store: LogStore = new LogStore(db, 10_000, undefined, () => {
      for (; held > 0; held--) store.recordRequest(request({ path: '/held' }));
    });
    assert.equal(store.queryAccess({ kind: 'access' }).filter((l) => l.path === '/held').reduce((n, l) => n + l.hits, 0), 3);
    store.close();
  });
});

describe('logs module', () => {
  it('keeps buffered lines across stop() and continues ids after a restart', async () => {
    const dir = `${tmp.dir}/kernel`;
    const k1 = new Kernel([coreModule, logsModule], { dataDir: dir });
    await k1.start();
    for (let i = 0; i < 3; i++) k1.services.logs.write({ appId: 'app_a', level: 'error', message: `before stop ${i}` });
    k1.requests.emit(request());
    await k1.stop();
    k1.services.logs.write({ appId: 'app_a', level: 'error', message: 'after stop is dropped' });

    const k2 = new Kernel([coreModule, logsModule], { dataDir: dir });
    try {
      const lines = k2.services.logStore.queryLogs({ kind: 'app' });
      assert.deepEqual(lines.map((l) => l.message), ['before stop 2', 'before stop 1', 'before stop 0']);
      assert.equal(k2.services.logStore.queryAccess({ kind: 'access' }).length, 1);
      k2.services.logs.write({ appId: 'app_a', level: 'info', message: 'new' });
      assert.equal(k2.services.logStore.queryLogs({ kind: 'app', limit: 1 })[0].id, lines[0].id + 1);
    } finally {
      await k2.stop();
    }
  });

  it('applies retention from config', async () => {
    const k = new Kernel([coreModule, logsModule], { dataDir: `${tmp.dir}/ret`, extra: { 'logs.maxRows': '2' } });
    try {
      for (let i = 0; i < 5; i++) k.services.logs.write({ appId: 'app_a', level: 'info', message: String(i) });
      const old = '2000-01-01T00:00:00.000Z';
      k.services.logStore.flush();
      k.db.prepare('INSERT INTO logs (id, at, app_id, level, message) VALUES (100, ?, ?, ?, ?)').run(old, 'app_a', 'info', 'ancient');
      assert.equal(applyRetention(k), 4, 'one by age (7d default), three by the cap');
      assert.deepEqual(k.services.logStore.queryLogs({ kind: 'app' }).map((l) => l.message), ['4', '3']);
    } finally {
      await k.stop();
    }
  });

  it('applies the byte budget logs.maxBytes from config', async () => {
    const k = new Kernel([coreModule, logsModule], { dataDir: `${tmp.dir}/ret-bytes`, extra: { 'logs.maxBytes': '3000' } });
    try {
      for (let i = 0; i < 10; i++) k.services.logs.write({ appId: 'app_a', level: 'info', message: `${i} ${'y'.repeat(1000)}` });
      assert.ok(applyRetention(k) >= 7);
      const kept = k.services.logStore.queryLogs({ kind: 'app' });
      assert.ok(kept.length <= 3 && kept.length >= 1);
      assert.match(kept[0].message, /^9 /);
    } finally {
      await k.stop();
    }
  });
});
