import { defineCollector, type Metrics } from '../pulse/collectors/define.js';

const DAY_MS = 24 * 3_600_000;

/** Pending deliveries, and those that failed in the last 24 h, per channel. */
export const notifyCollector = defineCollector({
  name: 'notify',
  collect({ kernel, now }) {
    const stats = kernel.services.notify.outbox.stats(now - DAY_MS);
    const byChannel: Metrics = {};
    let pending = 0;
    let failed = 0;
    for (const [name, s] of Object.entries(stats)) {
      byChannel[name] = { pending: s.pending, failed24h: s.failed };
      pending += s.pending;
      failed += s.failed;
    }
    return { pending, failed24h: failed, channels: kernel.services.notify.channels.names().length, byChannel };
  },
});
