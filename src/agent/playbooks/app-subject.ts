import type { Metrics } from '../../pulse/collectors/define.js';
import type { IssueSeen } from './types.js';

/** App issues pulse raises; an app's errors, sandbox failures and limit hits are one incident. */
export const APP_KINDS = ['app.errors', 'app.sandbox', 'app.limits'];

export const isAppFailure = (i: IssueSeen) => APP_KINDS.some((k) => i.key.startsWith(k + ':'));
export const appGroup = (i: IssueSeen) => `app:${i.subject}`;

/** This beat's own (not the recent window's) requests and 5xx for an app. */
export function beatTraffic(metrics: Metrics, slug: string): { requests: number; errors: number; sandboxErrors: number } {
  const http = ((metrics.http as Metrics | undefined)?.bySlug as Record<string, Metrics> | undefined)?.[slug] ?? {};
  const apps = ((metrics.apps as Metrics | undefined)?.bySlug as Record<string, Metrics> | undefined)?.[slug] ?? {};
  const n = (v: unknown) => (typeof v === 'number' ? v : 0);
  return { requests: n(http.requests), errors: n(http.errors5xx), sandboxErrors: n(apps.sandboxErrors) };
}
