import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RECENT_MINUTES, RECENT_REQUESTS, RecentWindow } from './recent-window.js';

const MIN = 60_000;
const t0 = Date.UTC(2026, 0, 1, 12, 0, 0);

test('failures are remembered however long nothing else arrives', () => {
  const w = new RecentWindow();
  for (let i = 0; i < 60; i++) w.record(true, t0);
  for (const later of [t0, t0 + MIN, t0 + 16 * MIN, t0 + 24 * 60 * MIN]) {
    assert.deepEqual(w.read(later), { requests: 60, errors5xx: 60, errorRate: 100, basis: `last ${RECENT_REQUESTS} requests` }, String(later));
  }
});

test(`the last ${RECENT_REQUESTS} requests when the last ${RECENT_MINUTES} minutes had fewer`, () => {
  const w = new RecentWindow();
  for (let i = 0; i < 100; i++) w.record(true, t0);
  for (let i = 0; i < 30; i++) w.record(false, t0 + 20 * MIN);
  assert.deepEqual(w.read(t0 + 21 * MIN), { requests: 100, errors5xx: 70, errorRate: 70, basis: `last ${RECENT_REQUESTS} requests` });
  for (let i = 0; i < 100; i++) w.record(false, t0 + 22 * MIN);
  assert.equal(w.read(t0 + 22 * MIN).errors5xx, 0, 'successes push old failures out');
});

test(`the last ${RECENT_MINUTES} minutes when they hold more than ${RECENT_REQUESTS} requests`, () => {
  const w = new RecentWindow();
  for (let i = 0; i < 20; i++) w.record(true, t0);
  for (let i = 0; i < 380; i++) w.record(false, t0 + 5 * MIN);
  assert.deepEqual(w.read(t0 + 10 * MIN), { requests: 400, errors5xx: 20, errorRate: 5, basis: `last ${RECENT_MINUTES} min` });
  // Once the failures are older than the window, only the later requests count.
  assert.deepEqual(w.read(t0 + 15 * MIN), { requests: 380, errors5xx: 0, errorRate: 0, basis: `last ${RECENT_MINUTES} min` });
  assert.equal(w.read(t0 + 5 * MIN + RECENT_MINUTES * MIN).basis, `last ${RECENT_REQUESTS} requests`);
});

test('a clock that jumps back does not count the future twice', () => {
  const w = new RecentWindow();
  for (let i = 0; i < 150; i++) w.record(false, t0 + 30 * MIN);
  for (let i = 0; i < 150; i++) w.record(true, t0);
  const r = w.read(t0);
  assert.equal(r.requests, 150);
  assert.equal(r.errors5xx, 150);
});

test('recording n requests at once equals recording them one by one', () => {
  const once = new RecentWindow();
  const each = new RecentWindow();
  once.record(true, t0, 30);
  once.record(false, t0 + MIN, 250);
  once.record(true, t0 + 2 * MIN, 7);
  for (let i = 0; i < 30; i++) each.record(true, t0);
  for (let i = 0; i < 250; i++) each.record(false, t0 + MIN);
  for (let i = 0; i < 7; i++) each.record(true, t0 + 2 * MIN);
  assert.deepEqual(once.read(t0 + 2 * MIN), each.read(t0 + 2 * MIN));
  // Once the minutes age out, the last 100 requests decide: 93 fine and the 7 failures.
  assert.deepEqual(once.read(t0 + 40 * MIN), each.read(t0 + 40 * MIN));
  assert.equal(once.read(t0 + 40 * MIN).errors5xx, 7);
});
