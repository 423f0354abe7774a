import type { Metrics } from './define.js';
import { defineCollector } from './define.js';

/**
 * Apps by state: active (served requests since the last beat), idle (deployed, no
 * requests), erroring (5xx or sandbox errors since the last beat, or a recent error
 * rate at the warning threshold — an app keeps that state until it serves again);
 * sandbox errors and limit hits per app.
 */
export const appsCollector = defineCollector({
  name: 'apps',
  collect({ kernel, http, appErrors }) {
    const apps = kernel.services.apps?.list(false) ?? [];
    const metrics = kernel.services.pulse?.requests;
    const warnAt = kernel.services.pulse?.config.thresholds.errorRateWarningPercent ?? 5;
    let active = 0, idle = 0, erroring = 0, sandboxErrors = 0, limitHits = 0;
    const bySlug: Metrics = {};
    for (const app of apps) {
      const h = http.apps[app.slug];
      const e = appErrors[app.slug] ?? appErrors[app.id];
      const requests = h?.requests ?? 0;
      const errors = h?.errors5xx ?? 0;
      const sErr = e?.errors ?? 0;
      const limits = e?.limitHits ?? 0;
      const recentRate = h?.recent.errorRate ?? 0;
      const isErroring = errors > 0 || sErr > 0 || (recentRate > 0 && recentRate >= warnAt);
      if (requests > 0) active++;
      else if (app.activeVersion !== null) idle++;
      if (isErroring) erroring++;
      sandboxErrors += sErr;
      limitHits += limits;
      bySlug[app.slug] = {
        deployed: app.activeVersion !== null,
        requests,
        errors,
        errorRate: h?.errorRate ?? 0,
        recentErrorRate: recentRate,
        p99: h?.p99 ?? 0,
        sandboxErrors: sErr,
        limitHits: limits,
        lastActive: metrics?.lastActive(app.slug) ?? null,
      };
    }
    return { total: apps.length, active, idle, erroring, sandboxErrors, limitHits, bySlug };
  },
});
