import type { Step } from '../call.js';
import { OpError } from '../errors.js';
import type { RateLimiter } from '../../rate-limiter.js';

/** Charges every invoked op to the caller's window (see RateLimiter); the owner and the system are not limited. */
export function rateLimitStep(limiter: RateLimiter): Step {
  return async (call, next) => {
    const d = limiter.take(call.caller);
    if (!d.ok) {
      throw new OpError('RATE_LIMITED', `Rate limit of ${d.limit} calls per minute reached; retry in ${d.retryAfter}s.`, { retryAfter: d.retryAfter });
    }
    await next();
  };
}
