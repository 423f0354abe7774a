import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { openStores } from './open-stores.js';
import { prefixUpperBound } from './scope.js';
import { errorCode } from '../../test/helpers/op-error.js';

const A = { appId: 'app_a' };
const B = { appId: 'app_b' };


describe('kv store', () => {
  test('set, get, overwrite, delete', () => {
    const { kv } = openStores();
    assert.equal(kv.get(A, 'missing'), null);
    kv.set(A, 'k', { n: 1, list: [1, 'two', null], ok: true });
    assert.deepEqual(kv.get(A, 'k'), { n: 1, list: [1, 'two', null], ok: true });
    kv.set(A, 'k', 'replaced');
    assert.equal(kv.get(A, 'k'), 'replaced');
    assert.equal(kv.delete(A, 'k'), true);
    assert.equal(kv.delete(A, 'k'), false);
    assert.equal(kv.get(A, 'k'), null);
  });

  test('values of every JSON type round-trip, including SQL-looking strings', () => {
    const { kv } = openStores();
    const values = [0, -1.5, 'x', '', true, false, null, [], {}, "'); DROP TABLE app_kv; --", { "a') OR 1=1 --": "b' OR '1'='1" }];
    values.forEach((v, i) => kv.set(A, `v${i}`, v));
    values.forEach((v, i) => assert.deepEqual(kv.get(A, `v${i}`), v));
    kv.set(A, "'; DELETE FROM app_kv; --", 1);
    assert.equal(kv.get(A, "'; DELETE FROM app_kv; --"), 1);
    assert.equal(kv.list(A).length, values.length + 1);
  });

  test('apps and users are isolated from each other', () => {
    const { kv } = openStores();
    kv.set(A, 'k', 'app a');
    kv.set(B, 'k', 'app b');
    kv.set({ appId: 'app_a', userId: 'u1' }, 'k', 'a/u1');
    kv.set({ appId: 'app_a', userId: 'u2' }, 'k', 'a/u2');
    assert.equal(kv.get(A, 'k'), 'app a');
    assert.equal(kv.get(B, 'k'), 'app b');
    assert.equal(kv.get({ appId: 'app_a', userId: 'u1' }, 'k'), 'a/u1');
    assert.equal(kv.get({ appId: 'app_b', userId: 'u1' }, 'k'), null);
    assert.deepEqual(kv.list({ appId: 'app_a', userId: 'u2' }).map((e) => e.value), ['a/u2']);
    assert.equal(kv.delete(B, 'k'), true);
    assert.equal(kv.get(A, 'k'), 'app a');
    assert.equal(errorCode(() => kv.get({ appId: '' }, 'k')), 'BAD_INPUT');
    assert.equal(errorCode(() => kv.get({ appId: 'app_a', userId: '' }, 'k')), 'BAD_INPUT');
  });

  test('TTL: expired entries are not returned, then purged lazily and by the sweep', (t) => {
    t.mock.timers.enable({ apis: ['Date'], now: 1_000_000 });
    const { kv, db } = openStores();
    kv.set(A, 'short', 1, 1000);
    kv.set(A, 'long', 2, 60_000);
    kv.set(A, 'forever', 3);
    kv.set(B, 'short', 4, 1000);
    assert.equal(kv.get(A, 'short'), 1);
    assert.equal(kv.list(A).find((e) => e.key === 'long')!.expiresAt, new Date(1_060_000).toISOString());
    t.mock.timers.tick(1000);
    assert.equal(kv.get(A, 'short'), null);
    assert.deepEqual(kv.list(A).map((e) => e.key), ['forever', 'long']);
    const rows = () => db.prepare('SELECT count(*) FROM app_kv').pluck().get();
    assert.equal(rows(), 3, 'the expired entry read by get was deleted');
    assert.equal(kv.sweep(), 1, 'the sweep purges the other expired entry');
    t.mock.timers.tick(60_000);
    assert.equal(kv.get(A, 'long'), null);
    assert.equal(kv.sweep(), 0);
    assert.equal(kv.get(A, 'forever'), 3);
    kv.set(A, 'forever', 5, 10);
    assert.equal(kv.get(A, 'forever'), 5, 'a set replaces the expiry');
  });

  test('prefix list treats % and _ as ordinary characters', () => {
    const { kv } = openStores();
    for (const k of ['a%b', 'a%c', 'axb', 'a_1', 'ab1', 'a', 'b', '%', '_x', 'a%\u{10FFFF}', 'a&']) kv.set(A, k, k);
    assert.deepEqual(kv.list(A, 'a%').map((e) => e.key), ['a%b', 'a%c', 'a%\u{10FFFF}']);
    assert.deepEqual(kv.list(A, 'a_').map((e) => e.key), ['a_1']);
    assert.deepEqual(kv.list(A, '%').map((e) => e.key), ['%']);
    assert.deepEqual(kv.list(A, '_').map((e) => e.key), ['_x']);
    assert.deepEqual(kv.list(A, 'zz'), []);
    assert.equal(kv.list(A).length, 11);
    assert.equal(kv.list(A, '', 2).length, 2);
    assert.deepEqual(kv.list(A, 'a', 3).map((e) => e.key), ['a', 'a%b', 'a%c']);
  });

  test('prefix upper bound', () => {
    assert.equal(prefixUpperBound('ab'), 'ac');
    assert.equal(prefixUpperBound('a\u{10FFFF}'), 'b');
    assert.equal(prefixUpperBound('\u{10FFFF}'), null);
    assert.equal(prefixUpperBound('a\uD7FF'), 'a\uE000');
  });

  test('bad keys, values, TTLs and limits are refused', () => {
    const { kv } = openStores({ limits: { maxValueBytes: 100 } });
    assert.equal(errorCode(() => kv.set(A, '', 1)), 'BAD_INPUT');
    assert.equal(errorCode(() => kv.set(A, 'x'.repeat(513), 1)), 'BAD_INPUT');
    kv.set(A, 'x'.repeat(512), 1);
    assert.equal(errorCode(() => kv.set(A, 42 as unknown as string, 1)), 'BAD_INPUT');
    assert.equal(errorCode(() => kv.set(A, 'bad\uD800', 1)), 'BAD_INPUT');
    assert.equal(errorCode(() => kv.set(A, 'k', undefined)), 'BAD_INPUT');
    assert.equal(errorCode(() => kv.set(A, 'k', () => 1)), 'BAD_INPUT');
    assert.equal(errorCode(() => kv.set(A, 'k', 10n)), 'BAD_INPUT');
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    assert.equal(errorCode(() => kv.set(A, 'k', circular)), 'BAD_INPUT');
    assert.equal(errorCode(() => kv.set(A, 'k', 'é'.repeat(60))), 'TOO_LARGE', '120 bytes of UTF-8 is over 100');
    kv.set(A, 'k', 'e'.repeat(60));
    assert.equal(errorCode(() => kv.set(A, 'k', 1, 0)), 'BAD_INPUT');
    assert.equal(errorCode(() => kv.set(A, 'k', 1, -5)), 'BAD_INPUT');
    assert.equal(errorCode(() => kv.set(A, 'k', 1, Number.NaN)), 'BAD_INPUT');
    assert.equal(errorCode(() => kv.list(A, '', 0)), 'BAD_INPUT');
    assert.equal(errorCode(() => kv.list(A, '', 10_001)), 'BAD_INPUT');
  });
});
