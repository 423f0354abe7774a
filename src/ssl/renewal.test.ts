import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CertRecord } from './cert-store.js';
import { renewAtFor, retryDelayMs } from './renewal-policy.js';
import { dueAt, RenewalScheduler } from './renewal-scheduler.js';

const H = 3600_000;

test('renewal is planned at 2/3 of the lifetime, up to 1/30 of it earlier', () => {
  const nb = '2026-01-01T00:00:00.000Z';
  const na = new Date(Date.parse(nb) + 90 * 24 * H).toISOString();
  assert.equal(renewAtFor(nb, na, 0), new Date(Date.parse(nb) + 60 * 24 * H).toISOString());
  assert.equal(renewAtFor(nb, na, 1), new Date(Date.parse(nb) + 57 * 24 * H).toISOString());
});

test('retries wait 1 h, doubling, at most 32 h', () => {
  assert.deepEqual([1, 2, 3, 4, 5, 6, 7, 12].map((n) => retryDelayMs(n) / H), [1, 2, 4, 8, 16, 32, 32, 32]);
});

const rec = (over: Partial<CertRecord>): CertRecord => ({ domain: 'a.example.com', names: ['a.example.com'], source: 'acme', status: 'valid', failures: 0, createdAt: '', updatedAt: '', ...over });

test('what is due: renewals by renewAt, failures and pending by their retry time; imported and revoked never', () => {
  assert.equal(dueAt(rec({ renewAt: '2026-01-01T00:00:00.000Z' })), Date.parse('2026-01-01T00:00:00.000Z'));
  assert.equal(dueAt(rec({ status: 'failed', renewAt: '2026-01-01T00:00:00.000Z', nextAttemptAt: '2026-02-01T00:00:00.000Z' })), Date.parse('2026-02-01T00:00:00.000Z'));
  assert.equal(dueAt(rec({ source: 'imported', renewAt: '2026-01-01T00:00:00.000Z' })), undefined);
  assert.equal(dueAt(rec({ status: 'revoked', renewAt: '2026-01-01T00:00:00.000Z' })), undefined);
});

test('the scheduler attempts exactly the due records at the injected time', async () => {
  const now = Date.parse('2026-06-01T00:00:00.000Z');
  const records = [
    rec({ domain: 'due.example.com', renewAt: new Date(now - 1000).toISOString() }),
    rec({ domain: 'later.example.com', renewAt: new Date(now + H).toISOString() }),
    rec({ domain: 'retry.example.com', status: 'failed', nextAttemptAt: new Date(now - 1).toISOString() }),
  ];
  const attempted: string[] = [];
  const s = new RenewalScheduler({ records: () => records, attempt: async (d) => void attempted.push(d) }, () => now);
  await s.tick();
  s.stop();
  assert.deepEqual(attempted, ['due.example.com', 'retry.example.com']);
});
