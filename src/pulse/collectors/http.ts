import type { Metrics } from './define.js';
import { defineCollector } from './define.js';

/** Requests since the last beat, in total and per app (slug), from the request observer. */
export const httpCollector = defineCollector({
  name: 'http',
  collect({ http }) {
    const bySlug: Metrics = {};
    for (const [slug, s] of Object.entries(http.apps)) {
      const { appId: _appId, ...rest } = s;
      bySlug[slug] = rest;
    }
    const perMinute = http.seconds > 0 ? Math.round((http.total.requests / http.seconds) * 60 * 100) / 100 : 0;
    return { windowSeconds: http.seconds, perMinute, ...http.total, bySlug };
  },
});
