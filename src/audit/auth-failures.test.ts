import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AuthFailureRecorder, type AuthFailureRow } from './auth-failures.js';

function recorder(limits = { perIpPerMinute: 3, totalPerMinute: 5, maxTrackedIps: 2 }) {
  const rows: AuthFailureRow[] = [];
  let now = Date.parse('2026-01-01T00:00:10Z');
  const r = new AuthFailureRecorder((row) => rows.push(row), limits, () => now);
  const fail = (ip: string, reason = 'unknown') => r.record({ op: 'apps.list', surface: 'http', reason, ip });
  return { r, rows, fail, advance: (ms: number) => (now += ms) };
}

const summaries = (rows: AuthFailureRow[]) => rows.filter((x) => x.kind === 'summary') as Extract<AuthFailureRow, { kind: 'summary' }>[];

test('each address gets a few rows a minute; the rest become one summary with the count and reasons', () => {
  const { r, rows, fail } = recorder();
  const written = Array.from({ length: 10 }, (_, i) => fail('10.0.0.1', i % 2 ? 'expired' : 'unknown'));
  assert.deepEqual(written.filter(Boolean).length, 3);
  r.flush();
  assert.equal(rows.filter((x) => x.kind === 'failure').length, 3);
  assert.deepEqual(summaries(rows).map((s) => [s.ip, s.suppressed, s.reasons]), [['10.0.0.1', 7, { expired: 4, unknown: 3 }]]);
  r.flush();
  assert.equal(rows.length, 4, 'nothing held back, nothing more written');
  assert.equal(fail('10.0.0.1'), false, 'the minute\'s budget stays spent after a flush');
});

test('a new minute writes the previous summary and restores the budget', () => {
  const { rows, fail, advance } = recorder();
  for (let i = 0; i < 5; i++) fail('10.0.0.1');
  advance(60_000);
  assert.equal(fail('10.0.0.1'), true);
  assert.deepEqual(summaries(rows).map((s) => s.suppressed), [2]);
});

test('many addresses share a total budget, and addresses past the tracked limit are counted together', () => {
  const { r, rows, fail } = recorder();
  for (const ip of ['a', 'a', 'a', 'b', 'b', 'b', 'c', 'd']) fail(ip);
  r.flush();
  assert.equal(rows.filter((x) => x.kind === 'failure').length, 5);
  const byIp = Object.fromEntries(summaries(rows).map((s) => [s.ip, s.suppressed]));
  assert.deepEqual(byIp, { b: 1, '*': 2 });
});
