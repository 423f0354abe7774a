import assert from 'node:assert/strict';
import { test } from 'node:test';
import { selectForPruning } from './retention.js';

const at = (iso: string, id = iso) => ({ id, createdAt: iso });

test('keeps the newest N and nothing else when only last is set', () => {
  const list = [at('2026-11-01T00:00:00Z'), at('2026-11-02T00:00:00Z'), at('2026-11-03T00:00:00Z')];
  assert.deepEqual(selectForPruning(list, { last: 2, daily: 0, weekly: 0, monthly: 0 }), ['2026-11-01T00:00:00Z']);
});

test('daily keeps the newest of each day; weekly and monthly reach further back', () => {
  const list = [
    at('2026-11-29T18:00:00Z'),
    at('2026-11-29T12:00:00Z'),
    at('2026-11-28T18:00:00Z'),
    at('2026-11-28T06:00:00Z'),
    at('2026-11-20T06:00:00Z'), // another week
    at('2026-10-15T06:00:00Z'), // another month
    at('2026-09-15T06:00:00Z'), // beyond monthly=2
  ];
  const pruned = selectForPruning(list, { last: 1, daily: 2, weekly: 2, monthly: 2 });
  assert.deepEqual(pruned.sort(), ['2026-09-15T06:00:00Z', '2026-11-28T06:00:00Z', '2026-11-29T12:00:00Z']);
});

test('nothing is pruned when every backup falls into a kept slot', () => {
  const list = [at('2026-11-29T18:00:00Z'), at('2026-11-28T18:00:00Z')];
  assert.deepEqual(selectForPruning(list, { last: 1, daily: 7, weekly: 0, monthly: 0 }), []);
});
