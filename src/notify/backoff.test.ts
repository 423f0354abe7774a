import assert from 'node:assert/strict';
import { test } from 'node:test';
import { retryDelayMs } from './backoff.js';

test('retries wait 30 s, doubling to an hour, and honour a longer Retry-After', () => {
  assert.deepEqual([1, 2, 3, 4, 7, 8, 20].map((n) => retryDelayMs(n) / 1000), [30, 60, 120, 240, 1920, 3600, 3600]);
  assert.equal(retryDelayMs(1, 300), 300_000);
  assert.equal(retryDelayMs(5, 10), 480_000);
  assert.equal(retryDelayMs(1, 99_999), 3_600_000);
});
