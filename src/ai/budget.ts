import type { Kernel } from '../kernel/kernel.js';
import { OpError } from '../kernel/ops/errors.js';
import type { UsageStore } from './usage-store.js';

export interface Budget {
  /** USD per UTC day for the whole server; unset means no cap. */
  dailyUsd?: number;
}

export const BUDGET_KEY = 'ai.budget';

function nextMidnightUtc(now = new Date()): string {
  const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1));
  return d.toISOString();
}

/** Refuses a call once today's spend reached the server's or the app's daily cap. */
export function checkBudget(kernel: Kernel, usage: UsageStore, appId: string | undefined, appDailyUsd: number | undefined): void {
  const server = kernel.settings.get<Budget>(BUDGET_KEY, {});
  const caps: [string, number | undefined, number][] = [['server', server.dailyUsd, usage.spentToday()]];
  if (appId) caps.push([`app ${appId}`, appDailyUsd, usage.spentToday(appId)]);
  for (const [who, cap, spent] of caps) {
    if (cap !== undefined && spent >= cap) {
      throw new OpError('AI_BUDGET_EXCEEDED', `The ${who} spent $${spent.toFixed(4)} on AI today, reaching its daily cap of $${cap}. It resets at ${nextMidnightUtc()}.`, {
        spentUsd: spent,
        capUsd: cap,
        resetsAt: nextMidnightUtc(),
        retryAfter: Math.ceil((Date.parse(nextMidnightUtc()) - Date.now()) / 1000),
      });
    }
  }
}
