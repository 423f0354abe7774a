import assert from 'node:assert/strict';
import { after, beforeEach, describe, it } from 'node:test';
import { OpError } from '../kernel/ops/errors.js';
import { openDatabase, type DB } from '../store/db.js';
import { migrate } from '../store/migrations.js';
import { tempDir } from '../../test/helpers/temp.js';
import { EventBus } from './bus.js';
import { EventStore, MAX_EVENT_BYTES } from './event-store.js';
import { eventsMigrations } from './migrations.js';

const tmp = tempDir();
after(() => tmp.cleanup());
let n = 0;
function fresh(opts: ConstructorParameters<typeof EventStore>[2] = {}) {
  const db: DB = openDatabase(`${tmp.dir}/${n++}`);
  migrate(db, [{ name: 'events', migrations: eventsMigrations }]);
  const bus = new EventBus();
  // Starts at the real time: events the kernel emits on the bus carry real timestamps.
  let clock = Date.now();
  const store = new EventStore(bus, db, { now: () => clock, ...opts });
  store.attach();
  return { db, bus, store, tick: (ms: number) => (clock += ms) };
}
const shop = { kind: 'app', appId: 'app_shop', slug: 'shop' } as const;

function thrown(fn: () => unknown): OpError {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof OpError, String(err));
    return err;
  }
  assert.fail('expected an OpError');
}

describe('EventStore', () => {
  let t: ReturnType<typeof fresh>;
  beforeEach(() => (t = fresh()));

  it('delivers checked events on the bus with their source', () => {
    const seen: string[] = [];
    t.bus.on('app:shop.*', (e) => seen.push(`${e.type}<${e.source}>`));
    const e = t.store.emitFrom(shop, 'app:shop.order.created', { total: 3 }, { correlationId: 'c1' });
    assert.deepEqual(seen, ['app:shop.order.created<app:shop>']);
    assert.equal(e.correlationId, 'c1');
    assert.deepEqual(e.data, { total: 3 });
  });

  it('refuses data over 64 KB with TOO_LARGE and accepts exactly 64 KB', () => {
    const overhead = JSON.stringify({ s: '' }).length;
    const exact = { s: 'x'.repeat(MAX_EVENT_BYTES - overhead) };
    t.store.emitFrom(shop, 'app:shop.big', exact);
    const err = thrown(() => t.store.emitFrom({ kind: 'owner' }, 'app:shop.big', { s: 'x'.repeat(MAX_EVENT_BYTES) }));
    assert.equal(err.code, 'TOO_LARGE');
    assert.match(err.message, /64 KB/);
    assert.equal(err.details?.limit, MAX_EVENT_BYTES);
  });

  it('counts multi-byte characters as bytes', () => {
    const err = thrown(() => t.store.emitFrom(shop, 'app:shop.big', 'é'.repeat(40_000)));
    assert.equal(err.code, 'TOO_LARGE');
  });

  it('refuses data that is not JSON', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    assert.equal(thrown(() => t.store.emitFrom(shop, 'app:shop.x', cyclic)).code, 'BAD_INPUT');
  });

  it('rate-limits a flooding app after 100 events in a second, per app', () => {
    for (let i = 0; i < 100; i++) t.store.emitFrom(shop, 'app:shop.tick', i);
    const err = thrown(() => t.store.emitFrom(shop, 'app:shop.tick', 100));
    assert.equal(err.code, 'RATE_LIMITED');
    assert.equal(err.details?.retryAfter, 1);
    assert.ok((err.details?.retryAfterMs as number) > 0);
    // Another app is not affected.
    t.store.emitFrom({ kind: 'app', appId: 'app_blog', slug: 'blog' }, 'app:blog.tick', 1);
    // A second later the window has moved on.
    t.tick(1000);
    t.store.emitFrom(shop, 'app:shop.tick', 101);
  });

  it('persists only when asked (and system events always), until the TTL passes', () => {
    t.store.emitFrom(shop, 'app:shop.kept', 1, { persist: true, ttlMs: 60_000 });
    t.store.emitFrom(shop, 'app:shop.dropped', 2);
    t.bus.emit({ type: 'system.app.deployed', source: 'system', data: { id: 'a' } });
    t.bus.emit({ type: 'op.apps.list', source: 'system', data: {} });
    assert.deepEqual(t.store.query({}).map((e) => e.type).sort(), ['app:shop.kept', 'system.app.deployed']);
    t.tick(60_001);
    assert.deepEqual(t.store.query({}).map((e) => e.type), ['system.app.deployed'], 'expired events are hidden before the sweep');
    assert.equal(t.store.sweep(), 1);
    assert.equal((t.db.prepare('SELECT COUNT(*) AS c FROM events').get() as { c: number }).c, 1);
  });

  it('keeps op.* events when configured', () => {
    const s = fresh({ persistOps: true });
    s.bus.emit({ type: 'op.apps.list', source: 'system', data: {} });
    assert.deepEqual(s.store.query({ type: 'op.*' }).map((e) => e.type), ['op.apps.list']);
  });

  it('filters by type pattern, source and time, newest first', () => {
    t.store.emitFrom(shop, 'app:shop.order.created', 1, { persist: true });
    t.tick(10);
    t.store.emitFrom(shop, 'app:shop.order.paid', 2, { persist: true });
    t.tick(10);
    t.store.emitFrom({ kind: 'owner' }, 'deploy.finished', 3, { persist: true });
    assert.deepEqual(t.store.query({ type: 'app:shop.order.*' }).map((e) => e.data), [2, 1]);
    assert.deepEqual(t.store.query({ source: 'owner' }).map((e) => e.type), ['deploy.finished']);
    assert.deepEqual(t.store.query({ type: '*.paid' }).map((e) => e.data), [2]);
    assert.deepEqual(t.store.query({ type: 'app:shop.order_*' }).length, 0, '_ is literal, not a wildcard');
    assert.deepEqual(t.store.query({ limit: 1 }).map((e) => e.data), [3]);
    const second = t.store.query({ type: 'app:shop.order.paid' })[0].timestamp;
    assert.deepEqual(t.store.query({ since: second }).map((e) => e.data), [3, 2]);
    assert.deepEqual(t.store.query({ until: second, type: 'app:*' }).map((e) => e.data), [2, 1]);
  });

  it('writes buffered events when closed, and none after', () => {
    t.store.emitFrom(shop, 'app:shop.a', 1, { persist: true });
    t.bus.emit({ type: 'system.halt.created', source: 'system', data: {} });
    assert.equal(t.store.pending, 2, 'writes are batched, not immediate');
    assert.equal((t.db.prepare('SELECT COUNT(*) AS c FROM events').get() as { c: number }).c, 0);
    t.store.close();
    assert.equal((t.db.prepare('SELECT COUNT(*) AS c FROM events').get() as { c: number }).c, 2);
    t.bus.emit({ type: 'system.halt.created', source: 'system', data: {} });
    assert.equal(t.store.pending, 0);
  });
});
