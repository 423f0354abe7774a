const UNITS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 };

/** "30m", "6h", "1d", "1w" → milliseconds; at least one minute. */
export function parseEvery(text: string, field = 'every'): number {
  const m = /^(\d+)([mhdw])$/.exec(text.trim());
  if (!m || Number(m[1]) <= 0) throw new Error(`${field} must be a whole number followed by m, h, d or w (e.g. "6h", "1d"), not '${text}'.`);
  return Number(m[1]) * UNITS[m[2]];
}
