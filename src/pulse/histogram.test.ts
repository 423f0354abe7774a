import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BUCKETS, bucketOf, bucketUpper, Histogram } from './histogram.js';

test('buckets grow monotonically and each value sits below its bucket upper bound', () => {
  let prev = -1;
  for (const v of [0, 0.01, 0.5, 0.99, 1, 1.5, 2, 3, 10, 99, 100, 1000, 5000, 60_000]) {
    const b = bucketOf(v);
    assert.ok(b >= prev, `bucket of ${v} went down`);
    assert.ok(b < BUCKETS);
    if (v > 0) assert.ok(bucketUpper(b) >= v, `upper of ${v}`);
    prev = b;
  }
  assert.equal(bucketOf(-5), 0);
  assert.equal(bucketOf(NaN), 0);
  assert.equal(bucketOf(1e12), BUCKETS - 1);
});

test('quantiles are within 1/16 of the exact value', () => {
  const h = new Histogram();
  const values: number[] = [];
  for (let i = 1; i <= 10_000; i++) {
    const v = (i % 500) + 0.5;
    values.push(v);
    h.record(v);
  }
  values.sort((a, b) => a - b);
  for (const q of [0.5, 0.9, 0.99]) {
    const exact = values[Math.ceil(q * values.length) - 1];
    const got = h.quantile(q);
    assert.ok(got >= exact && got <= exact * (1 + 1 / 16) + 1 / 16, `q${q}: ${got} vs ${exact}`);
  }
  assert.equal(h.total, 10_000);
});

test('empty histogram reports 0; merge and reset', () => {
  const a = new Histogram();
  assert.equal(a.quantile(0.99), 0);
  a.record(5);
  const b = new Histogram();
  b.record(500);
  b.record(500);
  a.merge(b);
  assert.equal(a.total, 3);
  assert.ok(a.quantile(0.99) >= 500);
  assert.ok(a.quantile(0.1) < 6);
  a.reset();
  assert.equal(a.total, 0);
  assert.equal(a.quantile(0.5), 0);
});
