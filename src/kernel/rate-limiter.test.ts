import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Caller } from './ops/define.js';
import { RateLimiter } from './rate-limiter.js';

const token = (id: string): Caller => ({ kind: 'token', name: id, caps: [], human: false, tokenId: id });
const owner: Caller = { kind: 'owner', name: 'owner', caps: ['kernel:*'], human: false };

test('take counts calls per token; check only looks', () => {
  const l = new RateLimiter(() => 2);
  const t = token('a');
  assert.deepEqual(l.check(t, 0), { ok: true });
  assert.deepEqual(l.take(t, 0), { ok: true });
  assert.deepEqual(l.check(t, 10), { ok: true }, 'one call left');
  assert.deepEqual(l.take(t, 10), { ok: true });
  for (let i = 0; i < 5; i++) assert.equal(l.check(t, 20).ok, false, 'check never counts, so it stays refused and no further');
  const refused = l.take(t, 30_000);
  assert.deepEqual(refused, { ok: false, limit: 2, retryAfter: 30 });
  assert.equal(l.take(token('b'), 30_000).ok, true, 'another token has its own window');
});

test('the window opens again after a minute; Retry-After is at least 1 s', () => {
  const l = new RateLimiter(() => 1);
  const t = token('a');
  l.take(t, 1_000);
  assert.deepEqual(l.check(t, 60_999), { ok: false, limit: 1, retryAfter: 1 });
  assert.deepEqual(l.check(t, 61_000), { ok: true });
  assert.deepEqual(l.take(t, 61_000), { ok: true });
});

test('the owner and system callers are never limited; 0 turns the limit off', () => {
  const l = new RateLimiter(() => 1);
  for (let i = 0; i < 5; i++) assert.deepEqual(l.take(owner, 0), { ok: true });
  const off = new RateLimiter(() => 0);
  for (let i = 0; i < 5; i++) assert.deepEqual(off.take(token('a'), 0), { ok: true });
  assert.deepEqual(off.check(token('a'), 0), { ok: true });
});

test('unauthenticated public callers share one window', () => {
  const l = new RateLimiter(() => 1);
  const pub: Caller = { kind: 'public', name: 'public', caps: [], human: false };
  assert.equal(l.take(pub, 0).ok, true);
  assert.equal(l.take({ ...pub }, 0).ok, false);
});
