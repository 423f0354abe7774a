import { OpError } from './ops/errors.js';

/**
 * A whole-number `--set key=value` setting of at least 1 (counts, sizes); unset
 * gives the default, anything else that is not such a number is refused by name.
 */
export function wholeSetting(extra: Record<string, string>, key: string, fallback: number, what = 'whole number'): number {
  const raw = extra[key];
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new OpError('BAD_INPUT', `${key} must be a positive ${what}, got '${raw}'.`);
  return n;
}
