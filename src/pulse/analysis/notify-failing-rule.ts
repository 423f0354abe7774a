import type { Metrics } from '../collectors/define.js';
import type { Rule } from './rules.js';
import type { Issue } from './types.js';

/** A notification channel that gave up on deliveries in the last day: the owner may be missing messages. */
export const notifyFailingRule: Rule = (ctx) => {
  const byChannel = ((ctx.beat.metrics.notify as Metrics | undefined)?.byChannel ?? {}) as Record<string, Metrics>;
  const out: Issue[] = [];
  for (const [name, m] of Object.entries(byChannel)) {
    const n = typeof m.failed24h === 'number' ? m.failed24h : 0;
    if (n <= 0) continue;
    out.push({
      key: `notify.failing:${name}`,
      severity: 'warning',
      subject: name,
      metric: `notify.byChannel.${name}.failed24h`,
      value: n,
      title: `Notification channel ${name} failed ${n} deliveries`,
      description: `${n} notifications to ${name} could not be delivered in the last 24 hours (refused, or still failing after retries).`,
      recommendation: `See why with notify.history channel=${name} status=failed; check the channel with notify.channels.test name=${name}.`,
    });
  }
  return out;
};
