import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_LIMITS, limitsFromConfig } from './limits.js';

test('storage limits come from --set storage.<name>=<value>, else defaults', () => {
  assert.deepEqual(limitsFromConfig({}), DEFAULT_LIMITS);
  const l = limitsFromConfig({ 'storage.maxValueBytes': '2048', 'storage.maxBlobBytes': '5', 'storage.autoIndexAfter': '0', 'storage.sweepIntervalMs': '5m' });
  assert.equal(l.maxValueBytes, 2048);
  assert.equal(l.maxBlobBytes, 5);
  assert.equal(l.autoIndexAfter, 0);
  assert.equal(l.sweepIntervalMs, 300_000);
  assert.equal(limitsFromConfig({ 'storage.sweepIntervalMs': '10' }).sweepIntervalMs, 1000, 'at most one sweep a second');
  assert.throws(() => limitsFromConfig({ 'storage.maxValueBytes': 'lots' }), /storage.maxValueBytes/);
  assert.throws(() => limitsFromConfig({ 'storage.maxBlobBytes': '-1' }), /storage.maxBlobBytes/);
});
