import { OpError } from '../kernel/ops/errors.js';

/** When the owner does not want to be woken, and when the day's digest goes out. */
export interface NotifySchedule {
  /** "22:00-07:00": only critical messages go out in between; may cross midnight. */
  quietHours: string | null;
  /** IANA zone the times are in (default UTC). */
  timezone: string;
  /** "08:00": when held messages go out as one digest; default: the end of quiet hours, else 08:00. */
  digest: string | null;
}

export const DEFAULT_SCHEDULE: NotifySchedule = { quietHours: null, timezone: 'UTC', digest: null };

const CLOCK = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** Minutes after midnight of "HH:MM", or a clear error naming the field. */
export function clockMinutes(text: string, field: string): number {
  const m = CLOCK.exec(text);
  if (!m) throw new OpError('BAD_INPUT', `${field}: '${text}' is not a time of day like 07:30 (24-hour HH:MM).`, { fields: [{ path: field, message: 'expected HH:MM' }] });
  return Number(m[1]) * 60 + Number(m[2]);
}

export function parseQuietHours(text: string): { start: number; end: number } {
  const [a, b, ...rest] = text.split('-');
  if (b === undefined || rest.length) throw new OpError('BAD_INPUT', `quietHours: '${text}' should be a range like 22:00-07:00.`, { fields: [{ path: 'quietHours', message: 'expected HH:MM-HH:MM' }] });
  const start = clockMinutes(a.trim(), 'quietHours');
  const end = clockMinutes(b.trim(), 'quietHours');
  if (start === end) throw new OpError('BAD_INPUT', 'quietHours: the start and end are the same; give a range like 22:00-07:00, or null to turn quiet hours off.');
  return { start, end };
}

export function checkTimezone(tz: string): string {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return tz;
  } catch {
    throw new OpError('BAD_INPUT', `timezone: '${tz}' is not an IANA time zone such as Europe/Berlin, America/New_York or UTC.`, { fields: [{ path: 'timezone', message: 'expected an IANA zone' }] });
  }
}

interface LocalTime {
  y: number;
  mo: number;
  d: number;
  h: number;
  mi: number;
}

function localTime(ms: number, tz: string): LocalTime {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone: tz, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric' }).formatToParts(ms);
  const get = (t: string) => Number(parts.find((p) => p.type === t)!.value);
  return { y: get('year'), mo: get('month'), d: get('day'), h: get('hour') % 24, mi: get('minute') };
}

/** The instant a local wall-clock time happens in `tz` (DST: the first match). */
function zonedToUtc(y: number, mo: number, d: number, minutes: number, tz: string): number {
  const wall = Date.UTC(y, mo - 1, d, Math.floor(minutes / 60), minutes % 60);
  const offsetAt = (ms: number) => {
    const l = localTime(ms, tz);
    return Date.UTC(l.y, l.mo - 1, l.d, l.h, l.mi) - Math.floor(ms / 60_000) * 60_000;
  };
  let guess = wall - offsetAt(wall);
  guess = wall - offsetAt(guess);
  return guess;
}

/** True when `now` falls in the quiet hours. */
export function isQuiet(s: NotifySchedule, now: number): boolean {
  if (!s.quietHours) return false;
  const { start, end } = parseQuietHours(s.quietHours);
  const l = localTime(now, s.timezone);
  const m = l.h * 60 + l.mi;
  return start < end ? m >= start && m < end : m >= start || m < end;
}

/** Time of day the digest goes out. */
export function digestClock(s: NotifySchedule): number {
  if (s.digest) return clockMinutes(s.digest, 'digest');
  if (s.quietHours) return parseQuietHours(s.quietHours).end;
  return 8 * 60;
}

/** The latest digest moment at or before `now`. */
export function lastDigestMoment(s: NotifySchedule, now: number): number {
  const l = localTime(now, s.timezone);
  const minutes = digestClock(s);
  const today = zonedToUtc(l.y, l.mo, l.d, minutes, s.timezone);
  if (today <= now) return today;
  const y = new Date(Date.UTC(l.y, l.mo - 1, l.d - 1));
  return zonedToUtc(y.getUTCFullYear(), y.getUTCMonth() + 1, y.getUTCDate(), minutes, s.timezone);
}
