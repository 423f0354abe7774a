import type { Caller } from './ops/define.js';

export type RateDecision = { ok: true } | { ok: false; limit: number; retryAfter: number };

const WINDOW_MS = 60_000;

/**
 * Fixed one-minute windows per capability token; the owner and the system are
 * not limited. The pipeline charges one unit per invoked op; a surface that
 * wants to refuse early (MCP over HTTP answers 429) only asks `check`, so no
 * call is ever counted twice.
 */
export class RateLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>();
  private sweptAt = 0;

  constructor(private readonly perMinute: () => number) {}

  /** Counts one call and says whether it fits in the caller's window. */
  take(caller: Caller, now = Date.now()): RateDecision {
    const w = this.window(caller, now);
    if (!w) return { ok: true };
    w.count++;
    return w.count > this.perMinute() ? this.refusal(w.start, now) : { ok: true };
  }

  /** Whether the caller has already used up its window, without counting anything. */
  check(caller: Caller, now = Date.now()): RateDecision {
    const w = this.window(caller, now);
    return w && w.count >= this.perMinute() ? this.refusal(w.start, now) : { ok: true };
  }

  private window(caller: Caller, now: number): { start: number; count: number } | undefined {
    if (this.perMinute() <= 0 || (caller.kind !== 'token' && caller.kind !== 'public')) return undefined;
    if (now - this.sweptAt >= WINDOW_MS) this.sweep(now);
    const key = caller.tokenId ?? caller.name;
    let w = this.windows.get(key);
    if (!w || now - w.start >= WINDOW_MS) this.windows.set(key, (w = { start: now, count: 0 }));
    return w;
  }

  private refusal(start: number, now: number): RateDecision {
    return { ok: false, limit: this.perMinute(), retryAfter: Math.max(1, Math.ceil((start + WINDOW_MS - now) / 1000)) };
  }

  /** Forgets finished windows so tokens that went quiet do not stay in memory. */
  private sweep(now: number): void {
    this.sweptAt = now;
    for (const [k, w] of this.windows) if (now - w.start >= WINDOW_MS) this.windows.delete(k);
  }
}
