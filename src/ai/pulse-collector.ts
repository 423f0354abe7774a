import type { Kernel } from '../kernel/kernel.js';
import { defineCollector } from '../pulse/collectors/define.js';
import { BUDGET_KEY, type Budget } from './budget.js';

/** Today's AI spend against the daily cap, for pulse to chart and warn on. */
export const aiCollector = defineCollector({
  name: 'ai',
  collect({ kernel }) {
    const cap = kernel.settings.get<Budget>(BUDGET_KEY, {}).dailyUsd ?? null;
    const today = Math.round(kernel.services.ai.usage.spentToday() * 1e4) / 1e4;
    return {
      todayUsd: today,
      dailyCapUsd: cap,
      percentOfCap: cap ? Math.round((today / cap) * 1000) / 10 : 0,
      providers: kernel.services.ai.providers.list().length,
      apps: appSpend(kernel),
    };
  },
});

/** Each app allowed to use fazt.ai: today's spend against its own cap, by slug. */
function appSpend(kernel: Kernel): Record<string, { todayUsd: number; dailyCapUsd: number; percentOfCap: number }> {
  const out: Record<string, { todayUsd: number; dailyCapUsd: number; percentOfCap: number }> = {};
  for (const appId of kernel.services.ai.apps.grants.appIds()) {
    const app = kernel.services.apps.find(appId);
    if (!app) continue;
    const a = kernel.services.ai.apps.access(app.id);
    const today = Math.round(a.spentTodayUsd * 1e4) / 1e4;
    out[app.slug] = { todayUsd: today, dailyCapUsd: a.dailyUsd, percentOfCap: a.dailyUsd > 0 ? Math.round((today / a.dailyUsd) * 1000) / 10 : today > 0 ? 100 : 0 };
  }
  return out;
}
