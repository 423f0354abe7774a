/** What a provider last said about its rate limit, per provider, for pulse. */
export interface RateLimitState {
  limit: number | null;
  remaining: number | null;
  /** When the window resets (ISO), when the provider says. */
  resetAt: string | null;
  /** Requests answered 429 since start. */
  throttled: number;
  lastRetryAfter: number | null;
  updatedAt: string;
}

function num(v: string | null): number | null {
  if (v === null || v.trim() === '') return null;
  const n = Number(v);
  return Number.isFinite(n) ? n : null;
}

/** Reset headers come as a unix time (Hetzner, DigitalOcean) or as seconds from now (IETF draft). */
function resetTime(v: string | null, now: number): string | null {
  const n = num(v);
  if (n === null) return null;
  return new Date(n > 1e9 ? n * 1000 : now + n * 1000).toISOString();
}

export class RateLimits {
  private readonly byProvider = new Map<string, RateLimitState>();

  observe(provider: string, status: number, headers: Headers): void {
    const now = Date.now();
    const prev = this.byProvider.get(provider);
    // Cloudflare sends the structured form: Ratelimit: "default";r=50;t=30 and Ratelimit-Policy: "default";q=1200;w=300.
    const sf = structured(headers.get('ratelimit'));
    const policy = structured(headers.get('ratelimit-policy'));
    const limit = num(headers.get('ratelimit-limit') ?? headers.get('x-ratelimit-limit')) ?? policy.q ?? null;
    const remaining = num(headers.get('ratelimit-remaining') ?? headers.get('x-ratelimit-remaining')) ?? sf.r ?? null;
    const reset = resetTime(headers.get('ratelimit-reset') ?? headers.get('x-ratelimit-reset') ?? (sf.t !== undefined ? String(sf.t) : null), now);
    if (limit === null && remaining === null && status !== 429 && !prev) return;
    this.byProvider.set(provider, {
      limit: limit ?? prev?.limit ?? null,
      remaining: remaining ?? prev?.remaining ?? null,
      resetAt: reset ?? prev?.resetAt ?? null,
      throttled: (prev?.throttled ?? 0) + (status === 429 ? 1 : 0),
      lastRetryAfter: status === 429 ? retryAfterSeconds(headers, now) : (prev?.lastRetryAfter ?? null),
      updatedAt: new Date(now).toISOString(),
    });
  }

  all(): Record<string, RateLimitState> {
    return Object.fromEntries(this.byProvider);
  }
}

function structured(v: string | null): Record<string, number> {
  const out: Record<string, number> = {};
  if (!v || /^\s*\d+\s*$/.test(v)) return out;
  for (const part of v.split(';').slice(1)) {
    const [k, val] = part.split('=');
    const n = Number(val);
    if (k && Number.isFinite(n)) out[k.trim()] = n;
  }
  return out;
}

/** Seconds to wait from Retry-After (seconds or an HTTP date), else the reset header, else 1. */
export function retryAfterSeconds(headers: Headers, now = Date.now()): number {
  const ra = headers.get('retry-after');
  if (ra) {
    const n = Number(ra);
    if (Number.isFinite(n)) return Math.max(0, Math.ceil(n));
    const d = Date.parse(ra);
    if (!Number.isNaN(d)) return Math.max(0, Math.ceil((d - now) / 1000));
  }
  const reset = resetTime(headers.get('ratelimit-reset') ?? headers.get('x-ratelimit-reset'), now);
  if (reset) return Math.max(0, Math.ceil((Date.parse(reset) - now) / 1000));
  return 1;
}
