import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseDuration } from '../auth/tokens.js';
import { parseSince } from './time.js';

test('durations', () => {
  assert.equal(parseDuration('30d'), 30 * 86_400_000);
  assert.equal(parseDuration('15m'), 900_000);
  assert.equal(parseDuration('500ms'), 500);
  assert.equal(parseDuration('1.5h'), 5_400_000);
  assert.equal(parseDuration('abc'), null);
  assert.equal(parseDuration('10'), null);
});

test('since accepts relative ages and ISO times, and names the field when neither', () => {
  const now = Date.parse('2026-01-01T12:00:00Z');
  assert.equal(parseSince('1h', 'since', now), '2026-01-01T11:00:00.000Z');
  assert.equal(parseSince('2026-01-01T00:00:00Z'), '2026-01-01T00:00:00.000Z');
  assert.throws(() => parseSince('yesterday-ish'), (e: Error & { code?: string }) => e.code === 'BAD_INPUT' && /since/.test(e.message));
});
