/** First retry 30 s after a failure, doubling, never more than an hour apart. */
export const FIRST_RETRY_MS = 30_000;
export const MAX_RETRY_MS = 3_600_000;
/** A message still failing this long after it was written is given up. */
export const GIVE_UP_AFTER_MS = 24 * 3_600_000;

/** Wait before the next attempt, after `attempts` failed ones; a receiver's Retry-After wins when longer. */
export function retryDelayMs(attempts: number, retryAfterSeconds?: number): number {
  const backoff = Math.min(FIRST_RETRY_MS * 2 ** Math.max(0, attempts - 1), MAX_RETRY_MS);
  return Math.min(Math.max(backoff, (retryAfterSeconds ?? 0) * 1000), MAX_RETRY_MS);
}
