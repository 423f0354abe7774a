import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RequestObservers, type ObservedRequest } from '../../kernel/request-observer.js';
import { HitTally } from './hit-tally.js';

function tallied(): { tally: HitTally; seen: ObservedRequest[]; observers: RequestObservers } {
  const observers = new RequestObservers();
  const seen: ObservedRequest[] = [];
  observers.add((r) => seen.push(r));
  return { tally: new HitTally(observers), seen, observers };
}

test('hits of one path, method, status and size become one observation with their count', () => {
  const { tally, seen, observers } = tallied();
  const start = performance.now();
  for (let i = 0; i < 20; i++) tally.count('app_1', 'web', 'GET', '/', 200, 1100, start);
  tally.count('app_1', 'web', 'GET', '/', 200, 400, start); // another encoding's size
  tally.count('app_1', 'web', 'HEAD', '/', 200, 0, start);
  tally.count('app_1', 'web', 'GET', '/', 304, 0, start);
  tally.count('app_1', 'web', 'GET', '/a.css', 200, 50, start);
  tally.count('app_2', 'web', 'GET', '/', 200, 1100, start); // the slug now names a new app
  assert.equal(seen.length, 0, 'nothing reported per hit');
  observers.flush();
  const rows = seen.map((r) => [r.appId, r.method, r.path, r.status, r.bytes, r.count, r.requestId]);
  assert.deepEqual(rows, [
    ['app_1', 'GET', '/', 200, 1100, 20, ''],
    ['app_1', 'GET', '/', 200, 400, 1, ''],
    ['app_1', 'HEAD', '/', 200, 0, 1, ''],
    ['app_1', 'GET', '/', 304, 0, 1, ''],
    ['app_1', 'GET', '/a.css', 200, 50, 1, ''],
    ['app_2', 'GET', '/', 200, 1100, 1, ''],
  ]);
  for (const r of seen) assert.ok(Number.isFinite(r.durationMs) && r.durationMs >= 0, String(r.durationMs));
  observers.flush();
  assert.equal(seen.length, 6, 'each hit is handed over once');
  tally.count('app_1', 'web', 'GET', '/', 200, 1100, performance.now());
  observers.flush();
  assert.deepEqual(seen.slice(6).map((r) => r.count), [1]);
});

test('the duration is the mean of the measured hits', () => {
  const { tally, seen, observers } = tallied();
  // Every hit began 50 ms ago: whichever hits are measured, the mean is about 50 ms.
  const start = performance.now() - 50;
  for (let i = 0; i < 100; i++) tally.count('app_1', 'web', 'GET', '/', 200, 10, start);
  observers.flush();
  assert.equal(seen[0].count, 100);
  assert.ok(seen[0].durationMs >= 50 && seen[0].durationMs < 1000, String(seen[0].durationMs));
});

test('counted hits reach observers by themselves after a second', async () => {
  const { tally, seen } = tallied();
  tally.count('app_1', 'web', 'GET', '/', 200, 10, performance.now());
  await new Promise((r) => setTimeout(r, 1_300));
  assert.deepEqual(seen.map((r) => r.count), [1]);
});
