import type { Metrics } from '../collectors/define.js';
import type { Rule } from './rules.js';
import type { Issue } from './types.js';

/** Lines past which dropping is a warning rather than a note: the app logs far beyond its budget. */
const WARN_AT = 10_000;

/** An app whose log lines were dropped (over its budget): name it and the count. */
export const logDropRule: Rule = (ctx) => {
  const bySlug = ((ctx.beat.metrics.logs as Metrics | undefined)?.bySlug ?? {}) as Record<string, Metrics>;
  const out: Issue[] = [];
  for (const [slug, m] of Object.entries(bySlug)) {
    const n = typeof m.dropped === 'number' ? m.dropped : 0;
    if (n <= 0) continue;
    out.push({
      key: `logs.dropped:${slug}`,
      severity: n >= WARN_AT ? 'warning' : 'info',
      subject: slug,
      metric: `logs.bySlug.${slug}.dropped`,
      value: n,
      title: `${slug} had ${n} log lines dropped`,
      description: `The code of ${slug} logged more than its budget (lines per request, bytes per minute) since the last beat; ${n} lines were not stored.`,
      recommendation: `Log less in loops in its api/main.js (fazt.log, console); read what was kept with logs.query app=${slug}.`,
    });
  }
  return out;
};
