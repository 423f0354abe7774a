import type { Metrics } from './define.js';
import { defineCollector } from './define.js';

/** Requests since the last beat (and recent error rates), in total and per app (slug), from the request observer. */
export const httpCollector = defineCollector({
  name: 'http',
  collect({ http }) {
    const bySlug: Metrics = {};
    for (const [slug, s] of Object.entries(http.apps)) {
      const { appId: _appId, noApp, ...rest } = s;
      // Requests to a host with no app (a deleted app, a typo) are counted but are no app's traffic.
      bySlug[slug] = noApp ? { ...rest, noApp: true } : rest;
    }
    const perMinute = http.seconds > 0 ? Math.round((http.total.requests / http.seconds) * 60 * 100) / 100 : 0;
    return { windowSeconds: http.seconds, perMinute, ...http.total, bySlug };
  },
});
