import { valueAt } from '../metric-paths.js';
import type { Rule } from './rules.js';

/** Warns at 80 % of the AI daily cap; critical once it is reached and calls are refused. */
export const aiSpendRule: Rule = (ctx) => [...serverSpend(ctx), ...appsSpend(ctx)];

const serverSpend: Rule = (ctx) => {
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

/** The same for each app's own cap (apps allowed fazt.ai). */
const appsSpend: Rule = (ctx) => {
  const apps = ((ctx.beat.metrics.ai as { apps?: Record<string, { todayUsd: number; dailyCapUsd: number; percentOfCap: number }> } | undefined)?.apps) ?? {};
  return Object.entries(apps)
    .filter(([, a]) => a.percentOfCap >= 80)
    .map(([slug, a]) => {
      const severity = a.percentOfCap >= 100 ? ('critical' as const) : ('warning' as const);
      return {
        key: `ai.budget:app:${slug}`, severity, subject: slug, metric: `ai.apps.${slug}.percentOfCap`, value: a.percentOfCap,
        title: `${slug}'s AI spend at ${a.percentOfCap} % of its daily cap`,
        description: `$${a.todayUsd} of $${a.dailyCapUsd} spent by ${slug} on AI today (UTC).${severity === 'critical' ? " The app's fazt.ai calls are refused until midnight UTC." : ''}`,
        recommendation: `See ai.usage --app ${slug}; raise its cap with fazt apps ai grant ${slug} --daily-usd N if it is expected.`,
      };
    });
};
