import { valueAt } from '../metric-paths.js';
import type { Rule } from './rules.js';

/** Warns at 80 % of the AI daily cap; critical once it is reached and calls are refused. */
export const aiSpendRule: Rule = (ctx) => {
  const pct = valueAt(ctx.beat.metrics, 'ai.percentOfCap');
  const cap = valueAt(ctx.beat.metrics, 'ai.dailyCapUsd');
  const today = valueAt(ctx.beat.metrics, 'ai.todayUsd') ?? 0;
  if (pct === null || cap === null || pct < 80) return [];
  const severity = pct >= 100 ? 'critical' : 'warning';
  return [{
    key: 'ai.budget:server', severity, subject: 'server', metric: 'ai.percentOfCap', value: pct,
    title: `AI spend at ${pct} % of the daily cap`,
    description: `$${today} of $${cap} spent on AI today (UTC).${severity === 'critical' ? ' Further AI calls are refused until midnight UTC.' : ''}`,
    recommendation: 'See what spends with ai.usage; raise the cap with ai.budget.set if it is expected.',
  }];
};
