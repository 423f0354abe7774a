import { parseDuration } from '../auth/tokens.js';
import type { Kernel } from '../kernel/kernel.js';
import type { KernelModule } from '../kernel/module.js';
import { DEFAULT_RATE_PER_SECOND, EventStore } from './event-store.js';
import { eventsMigrations } from './migrations.js';
import { eventsOps } from './ops.js';
import { EVENTS_STREAM_PATH, eventsStreamRoute } from './stream-route.js';

declare module '../kernel/services.js' {
  interface Services {
    /** The same object as `eventStore`, with queries and the TTL sweep. */
    eventLog: EventStore;
  }
}

/** `--set events.ttl=7d --set events.ratePerSecond=100 --set events.persistOps=true --set events.sweepInterval=10m`. */
export function eventsConfig(kernel: Kernel): { ttlMs?: number; ratePerSecond: number; persistOps: boolean; sweepMs: number } {
  const x = kernel.config.extra;
  const rate = Number(x['events.ratePerSecond'] ?? DEFAULT_RATE_PER_SECOND);
  return {
    ttlMs: x['events.ttl'] ? (parseDuration(x['events.ttl']) ?? undefined) : undefined,
    ratePerSecond: Number.isFinite(rate) && rate >= 0 ? rate : DEFAULT_RATE_PER_SECOND,
    persistOps: x['events.persistOps'] === 'true',
    sweepMs: Math.max(parseDuration(x['events.sweepInterval'] ?? '10m') ?? 600_000, 1000),
  };
}

const timers = new WeakMap<Kernel, NodeJS.Timeout>();

export const eventsModule: KernelModule = {
  name: 'events',
  migrations: eventsMigrations,
  ops: eventsOps,
  init(kernel) {
    const cfg = eventsConfig(kernel);
    const store = new EventStore(kernel.events, kernel.db, cfg);
    kernel.services.eventLog = store;
    kernel.services.eventStore = store;
    // Attached at init so system events of other modules' start-up are kept too.
    store.attach();
    kernel.useHttp(25, eventsStreamRoute(kernel), (r) => r.path === EVENTS_STREAM_PATH, 'kernel');
  },
  start(kernel) {
    const timer = setInterval(() => {
      try {
        kernel.services.eventLog.sweep();
      } catch (err) {
        process.emitWarning(`event sweep failed: ${(err as Error).message}`);
      }
    }, eventsConfig(kernel).sweepMs);
    timer.unref();
    timers.set(kernel, timer);
  },
  stop(kernel) {
    clearInterval(timers.get(kernel));
    kernel.services.eventLog?.close();
  },
};
