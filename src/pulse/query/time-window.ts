export interface TimeWindow {
  fromMs: number;
  toMs: number;
  /** What the question said, in words ("last night", "around 14:00 yesterday"). */
  label: string;
}

const UNIT_MS: Record<string, number> = { minute: 60_000, hour: 3_600_000, day: 86_400_000, week: 604_800_000 };

function at(base: Date, dayOffset: number, hour: number, minute = 0): number {
  const d = new Date(base);
  d.setDate(d.getDate() + dayOffset);
  d.setHours(hour, minute, 0, 0);
  return d.getTime();
}

/**
 * Finds the time a question is about, in the server's local time: "last hour",
 * "last 3 days", "2 hours ago", "today", "yesterday", "last night", "this morning",
 * "2 PM", "14:30", "noon", "yesterday at 9am". Returns null when it names no time.
 */
export function parseTimeWindow(question: string, now: number = Date.now()): TimeWindow | null {
  const q = question.toLowerCase();
  const base = new Date(now);
  const clip = (w: TimeWindow): TimeWindow => ({ ...w, toMs: Math.min(w.toMs, now) });
  const yesterday = /\byesterday\b/.test(q);

  let m = /\b(?:last|past|previous)\s+(\d+)\s*(minute|min|hour|hr|day|week)s?\b/.exec(q);
  if (m) {
    const unit = m[2] === 'min' ? 'minute' : m[2] === 'hr' ? 'hour' : m[2];
    return { fromMs: now - Number(m[1]) * UNIT_MS[unit], toMs: now, label: `last ${m[1]} ${unit}s` };
  }
  m = /\b(\d+)\s*(minute|min|hour|hr|day)s?\s+ago\b/.exec(q);
  if (m) {
    const unit = m[2] === 'min' ? 'minute' : m[2] === 'hr' ? 'hour' : m[2];
    const center = now - Number(m[1]) * UNIT_MS[unit];
    const half = Math.max(UNIT_MS[unit] / 2, 15 * 60_000);
    return clip({ fromMs: center - half, toMs: center + half, label: `${m[1]} ${unit}s ago` });
  }
  m = /\b(?:last|past|this)\s+(hour|day|week)\b/.exec(q);
  if (m) return { fromMs: now - UNIT_MS[m[1]], toMs: now, label: `last ${m[1]}` };

  const clock = parseClock(q);
  if (clock) {
    let day = yesterday ? -1 : 0;
    if (!yesterday && at(base, 0, clock.hour, clock.minute) > now) day = -1;
    const center = at(base, day, clock.hour, clock.minute);
    const hh = String(clock.hour).padStart(2, '0');
    const mm = String(clock.minute).padStart(2, '0');
    return clip({ fromMs: center - 3_600_000, toMs: center + 3_600_000, label: `around ${hh}:${mm}${day ? ' yesterday' : ''}` });
  }
  if (/\blast\s+night\b|\bovernight\b/.test(q)) {
    return clip({ fromMs: at(base, -1, 18), toMs: at(base, 0, 6), label: 'last night' });
  }
  const parts: [RegExp, number, number, string][] = [
    [/\bmorning\b/, 6, 12, 'morning'],
    [/\bafternoon\b/, 12, 18, 'afternoon'],
    [/\bevening\b|\btonight\b/, 18, 24, 'evening'],
  ];
  for (const [re, from, to, name] of parts) {
    if (re.test(q)) {
      const day = yesterday ? -1 : 0;
      return clip({ fromMs: at(base, day, from), toMs: at(base, day, to), label: `${yesterday ? 'yesterday' : 'this'} ${name}` });
    }
  }
  if (yesterday) return { fromMs: at(base, -1, 0), toMs: at(base, 0, 0), label: 'yesterday' };
  if (/\btoday\b/.test(q)) return { fromMs: at(base, 0, 0), toMs: now, label: 'today' };
  if (/\b(right\s+)?now\b|\bcurrently\b|\bat the moment\b/.test(q)) return { fromMs: now - 3_600_000, toMs: now, label: 'now' };
  return null;
}

/** "2 pm", "2:30pm", "14:00", "noon", "midnight". */
export function parseClock(q: string): { hour: number; minute: number } | null {
  if (/\bnoon\b|\bmidday\b/.test(q)) return { hour: 12, minute: 0 };
  if (/\bmidnight\b/.test(q)) return { hour: 0, minute: 0 };
  let m = /\b(\d{1,2})(?::(\d{2}))?\s*(a\.?m\.?|p\.?m\.?)(?![a-z])/.exec(q);
  if (m) {
    let hour = Number(m[1]);
    const minute = m[2] ? Number(m[2]) : 0;
    if (hour < 1 || hour > 12 || minute > 59) return null;
    const pm = m[3].startsWith('p');
    if (hour === 12) hour = pm ? 12 : 0;
    else if (pm) hour += 12;
    return { hour, minute };
  }
  m = /\b([01]?\d|2[0-3]):([0-5]\d)\b/.exec(q);
  if (m) return { hour: Number(m[1]), minute: Number(m[2]) };
  return null;
}
