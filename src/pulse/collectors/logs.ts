import { defineCollector, type Metrics } from './define.js';

/** App log lines dropped since the last beat (over an app's log budget), in total and per app. */
export const logsCollector = defineCollector({
  name: 'logs',
  collect({ kernel, state }) {
    const totals = kernel.services.logStore?.budget.dropped ?? new Map<string, number>();
    const seen = (state.seen ??= {}) as Record<string, number>;
    const bySlug: Metrics = {};
    let droppedLines = 0;
    for (const [appId, total] of totals) {
      const n = total - (seen[appId] ?? 0);
      seen[appId] = total;
      if (n <= 0) continue;
      const slug = kernel.services.apps?.find(appId)?.slug ?? appId;
      bySlug[slug] = { dropped: n };
      droppedLines += n;
    }
    return { droppedLines, bySlug };
  },
});
