import { defineCollector } from '../pulse/collectors/define.js';

/** Each provider's last rate-limit headers and 429 count, and how many servers fazt keeps. */
export const infraCollector = defineCollector({
  name: 'infra',
  collect({ kernel }) {
    const infra = kernel.services.infra;
    const rateLimits: Record<string, { limit: number | null; remaining: number | null; resetAt: string | null; throttled: number; percentLeft: number | null }> = {};
    for (const [p, s] of Object.entries(infra.rateLimits.all())) {
      rateLimits[p] = { limit: s.limit, remaining: s.remaining, resetAt: s.resetAt, throttled: s.throttled, percentLeft: s.limit && s.remaining !== null ? Math.round((s.remaining / s.limit) * 1000) / 10 : null };
    }
    return { servers: infra.servers.list().length, providers: infra.credentials.list().length, rateLimits };
  },
});
