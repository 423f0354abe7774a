import type { Step } from '../call.js';
import { OpError } from '../errors.js';

/** Fixed-window limit per token; the owner and the system are not limited. */
export function rateLimitStep(perMinute: () => number): Step {
  const windows = new Map<string, { start: number; count: number }>();
  return async (call, next) => {
    const { caller } = call;
    const limit = perMinute();
    if (limit > 0 && (caller.kind === 'token' || caller.kind === 'public')) {
      const key = caller.tokenId ?? caller.name;
      const now = Date.now();
      let w = windows.get(key);
      if (!w || now - w.start >= 60_000) windows.set(key, (w = { start: now, count: 0 }));
      if (++w.count > limit) {
        const retryAfter = Math.ceil((w.start + 60_000 - now) / 1000);
        throw new OpError('RATE_LIMITED', `Rate limit of ${limit} calls per minute reached; retry in ${retryAfter}s.`, { retryAfter });
      }
    }
    await next();
  };
}
