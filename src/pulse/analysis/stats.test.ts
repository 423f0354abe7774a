import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mean, spikeRatio, stddev, zScore } from './stats.js';

test('mean and sample standard deviation', () => {
  assert.equal(mean([]), 0);
  assert.equal(mean([2, 4, 6]), 4);
  assert.equal(stddev([5]), 0);
  assert.ok(Math.abs(stddev([2, 4, 4, 4, 5, 5, 7, 9]) - 2.138) < 0.001);
});

test('z-score needs history and floors the deviation of a flat series', () => {
  assert.equal(zScore(10, [1, 2, 3]), null);
  const z = zScore(20, [10, 11, 9, 10, 10, 11]);
  assert.ok(z !== null && z > 3, `z=${z}`);
  assert.ok((zScore(10.5, [10, 11, 9, 10, 10, 11]) ?? 99) < 1);
  // flat history: a 5 % change is one deviation, not infinity
  const flat = zScore(105, [100, 100, 100, 100]);
  assert.ok(flat !== null && Math.abs(flat - 1) < 1e-9);
  assert.ok(Number.isFinite(zScore(1, [0, 0, 0, 0]) ?? NaN));
});

test('spike ratio against the recent average', () => {
  assert.equal(spikeRatio(300, [100, 100]), null, 'too little history');
  assert.equal(spikeRatio(300, [0, 0, 0]), null, 'no baseline traffic');
  assert.equal(spikeRatio(300, [100, 100, 100]), 3);
  assert.equal(spikeRatio(50, [100, 100, 100]), 0.5);
});
