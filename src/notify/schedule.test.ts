import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isQuiet, lastDigestMoment, parseQuietHours, type NotifySchedule } from './schedule.js';

const at = (iso: string) => Date.parse(iso);

describe('notify schedule', () => {
  it('quiet hours that cross midnight, in the owner\'s zone', () => {
    const s: NotifySchedule = { quietHours: '22:00-07:00', timezone: 'Europe/Berlin', digest: null };
    // 21:30 UTC in November is 22:30 in Berlin (UTC+1).
    assert.equal(isQuiet(s, at('2026-11-29T21:30:00Z')), true);
    assert.equal(isQuiet(s, at('2026-11-29T20:30:00Z')), false);
    assert.equal(isQuiet(s, at('2026-11-30T05:59:00Z')), true);
    assert.equal(isQuiet(s, at('2026-11-30T06:00:00Z')), false);
  });

  it('quiet hours within one day', () => {
    const s: NotifySchedule = { quietHours: '12:00-13:00', timezone: 'UTC', digest: null };
    assert.equal(isQuiet(s, at('2026-11-29T12:30:00Z')), true);
    assert.equal(isQuiet(s, at('2026-11-29T13:00:00Z')), false);
  });

  it('the digest moment is the configured time, else the end of quiet hours, in the zone, across DST', () => {
    const ny: NotifySchedule = { quietHours: null, timezone: 'America/New_York', digest: '08:00' };
    // Summer: 08:00 EDT is 12:00 UTC; winter: 08:00 EST is 13:00 UTC.
    assert.equal(new Date(lastDigestMoment(ny, at('2026-07-01T15:00:00Z'))).toISOString(), '2026-07-01T12:00:00.000Z');
    assert.equal(new Date(lastDigestMoment(ny, at('2026-12-01T15:00:00Z'))).toISOString(), '2026-12-01T13:00:00.000Z');
    // Before today's moment: yesterday's.
    assert.equal(new Date(lastDigestMoment(ny, at('2026-12-01T12:00:00Z'))).toISOString(), '2026-11-30T13:00:00.000Z');
    const quiet: NotifySchedule = { quietHours: '22:00-07:00', timezone: 'UTC', digest: null };
    assert.equal(new Date(lastDigestMoment(quiet, at('2026-11-29T09:00:00Z'))).toISOString(), '2026-11-29T07:00:00.000Z');
  });

  it('refuses malformed ranges by name', () => {
    assert.throws(() => parseQuietHours('22:00'), /range like 22:00-07:00/);
    assert.throws(() => parseQuietHours('25:00-07:00'), /not a time of day/);
    assert.throws(() => parseQuietHours('07:00-07:00'), /same/);
  });
});
