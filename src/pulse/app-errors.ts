import type { FaztEvent } from '../events/bus.js';

export interface AppErrorCounts {
  slug: string;
  appId: string | null;
  errors: number;
  limitHits: number;
  kinds: Record<string, number>;
}

export type AppErrorWindow = Record<string, AppErrorCounts>;

/** Kinds the runtime reports when an app hits a sandbox limit rather than throwing. */
const LIMIT_KIND = /timeout|memory|limit|cpu|stack|quota|size/i;

/** Counts `system.app.error` events per app between beats. */
export class AppErrors {
  private window: AppErrorWindow = {};

  readonly onEvent = (e: FaztEvent): void => {
    const d = (e.data ?? {}) as { appId?: string; slug?: string; kind?: string };
    const slug = d.slug ?? d.appId ?? 'unknown';
    const kind = String(d.kind ?? 'error');
    const c = (this.window[slug] ??= { slug, appId: d.appId ?? null, errors: 0, limitHits: 0, kinds: {} });
    if (LIMIT_KIND.test(kind)) c.limitHits++;
    else c.errors++;
    c.kinds[kind] = (c.kinds[kind] ?? 0) + 1;
  };

  take(): AppErrorWindow {
    const w = this.window;
    this.window = {};
    return w;
  }
}
