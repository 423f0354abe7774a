import { parseDuration } from '../auth/tokens.js';
import { OpError } from './ops/errors.js';

/**
 * Accepts a relative age (`1h`, `30m`, `7d`) meaning "that long ago", or an ISO time.
 * Returns an ISO string.
 */
export function parseSince(text: string, field = 'since', now = Date.now()): string {
  const ms = parseDuration(text);
  if (ms !== null) return new Date(now - ms).toISOString();
  const t = Date.parse(text);
  if (Number.isNaN(t)) {
    throw new OpError('BAD_INPUT', `${field}: '${text}' is neither a duration like 1h, 30m, 7d nor an ISO time.`, {
      fields: [{ path: field, message: 'expected 1h, 30m, 7d or an ISO time' }],
    });
  }
  return new Date(t).toISOString();
}
