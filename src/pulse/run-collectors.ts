import type { CollectorStatus } from './beat-store.js';
import { DEFAULT_BUDGET_MS, type CollectContext, type Collector, type Metrics } from './collectors/define.js';

export interface CollectResult {
  metrics: Metrics;
  status: Record<string, CollectorStatus>;
  failed: Record<string, string>;
}

/**
 * Runs every collector concurrently, each within its time budget. A collector that
 * throws or overruns is recorded as failed; the others' metrics are kept.
 * (A collector that blocks the event loop cannot be interrupted: collectors must be async or quick.)
 */
export async function runCollectors(
  collectors: Collector[],
  base: Omit<CollectContext, 'state' | 'signal'>,
  stateOf: (name: string) => Record<string, unknown>,
): Promise<CollectResult> {
  const metrics: Metrics = {};
  const status: Record<string, CollectorStatus> = {};
  const failed: Record<string, string> = {};
  await Promise.all(
    collectors.map(async (c) => {
      const budget = c.budgetMs ?? DEFAULT_BUDGET_MS;
      const ac = new AbortController();
      let started = performance.now();
      let timer: NodeJS.Timeout | undefined;
      const overrun = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          ac.abort();
          reject(new Error(`no answer within its ${budget} ms budget`));
        }, budget);
      });
      try {
        const out = await Promise.race([Promise.resolve().then(() => {
            started = performance.now();
            return c.collect({ ...base, state: stateOf(c.name), signal: ac.signal });
          }), overrun]);
        metrics[c.name] = out;
        status[c.name] = { ok: true, ms: ms(started) };
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        failed[c.name] = message;
        status[c.name] = { ok: false, ms: ms(started), error: message };
      } finally {
        clearTimeout(timer);
      }
    }),
  );
  return { metrics, status, failed };
}

function ms(started: number): number {
  return Math.round((performance.now() - started) * 100) / 100;
}
