import { parseDuration } from '../auth/tokens.js';
import type { KernelModule } from '../kernel/module.js';
import type { Kernel } from '../kernel/kernel.js';
import { DEFAULT_BUDGET, type LogBudgetLimits } from './log-budget.js';
import { LogStore } from './log-store.js';
import { logsMigrations } from './migrations.js';
import { logsOps } from './ops.js';
import { LOGS_STREAM_PATH, logsStreamRoute } from './stream-route.js';

declare module '../kernel/services.js' {
  interface Services {
    /** The same object as `logs`, with queries, follow and retention. */
    logStore: LogStore;
  }
}

export const DEFAULT_RETENTION = '7d';
export const DEFAULT_MAX_ROWS = 1_000_000;
export const DEFAULT_MAX_BYTES = 256 * 1024 * 1024;

/** A whole number above 0 from `--set key=value`, else the default. */
function positive(extra: Record<string, string>, key: string, fallback: number): number {
  const v = Number(extra[key] ?? fallback);
  return Number.isInteger(v) && v > 0 ? v : fallback;
}

/** Retention settings from `--set logs.retention=7d --set logs.maxRows=1000000 --set logs.maxBytes=268435456 --set logs.cleanupInterval=10m`. */
export function retentionConfig(kernel: Kernel): { retentionMs: number; maxRows: number; maxBytes: number; intervalMs: number } {
  const extra = kernel.config.extra;
  const retentionMs = parseDuration(extra['logs.retention'] ?? DEFAULT_RETENTION) ?? parseDuration(DEFAULT_RETENTION)!;
  const intervalMs = parseDuration(extra['logs.cleanupInterval'] ?? '10m') ?? 600_000;
  return { retentionMs, maxRows: positive(extra, 'logs.maxRows', DEFAULT_MAX_ROWS), maxBytes: positive(extra, 'logs.maxBytes', DEFAULT_MAX_BYTES), intervalMs: Math.max(intervalMs, 1000) };
}

/** How much app code may log, from `--set logs.linesPerRequest=100 --set logs.appBytesPerMinute=1048576`. */
export function budgetConfig(extra: Record<string, string>): LogBudgetLimits {
  return {
    linesPerRequest: positive(extra, 'logs.linesPerRequest', DEFAULT_BUDGET.linesPerRequest),
    appBytesPerWindow: positive(extra, 'logs.appBytesPerMinute', DEFAULT_BUDGET.appBytesPerWindow),
    windowMs: DEFAULT_BUDGET.windowMs,
  };
}

/** Applies retention once: rows past the age limit, then rows past the count cap, then app lines past the byte budget. */
export function applyRetention(kernel: Kernel): number {
  const { retentionMs, maxRows, maxBytes } = retentionConfig(kernel);
  const store = kernel.services.logStore;
  const byAge = store.cleanup(new Date(Date.now() - retentionMs).toISOString());
  const byCount = store.enforceCap(maxRows);
  const byBytes = store.enforceByteCap(maxBytes);
  return byAge.logs + byAge.access + byCount.logs + byCount.access + byBytes.logs;
}

const timers = new WeakMap<Kernel, NodeJS.Timeout[]>();

export const logsModule: KernelModule = {
  name: 'logs',
  migrations: logsMigrations,
  ops: logsOps,
  init(kernel) {
    // --set logs.staticHitsWindow=0 logs every static hit as its own row.
    const window = kernel.config.extra['logs.staticHitsWindow'];
    const store = new LogStore(kernel.db, window === undefined ? 10_000 : window === '0' ? 0 : (parseDuration(window) ?? 10_000), budgetConfig(kernel.config.extra), () => kernel.requests.flush());
    kernel.services.logStore = store;
    kernel.services.logs = store;
    kernel.requests.add((r) => store.recordRequest(r));
    kernel.useHttp(25, logsStreamRoute(kernel), (r) => r.path === LOGS_STREAM_PATH, 'kernel');
  },
  start(kernel) {
    const run = () => {
      try {
        applyRetention(kernel);
      } catch (err) {
        process.emitWarning(`log retention failed: ${(err as Error).message}`);
      }
    };
    const first = setTimeout(run, 5_000);
    const every = setInterval(run, retentionConfig(kernel).intervalMs);
    first.unref();
    every.unref();
    timers.set(kernel, [first, every]);
  },
  stop(kernel) {
    for (const t of timers.get(kernel) ?? []) clearTimeout(t);
    kernel.services.logStore?.close();
  },
};
