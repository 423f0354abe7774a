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
    };
  },
});
