import type { ObservedRequest } from '../kernel/request-observer.js';
import { Histogram } from './histogram.js';
import { RECENT_MINUTES, RecentWindow, type RecentStats } from './recent-window.js';

/** Hosts with no app get their own counters up to this many; the rest share OTHER_HOSTS, so random Host headers cannot grow memory. */
const MAX_UNKNOWN_HOSTS = 64;
export const OTHER_HOSTS = '(other hosts)';

/** Counters for one app since the last beat; objects are reused, never reallocated per request. */
interface Counters {
  slug: string;
  appId: string | null;
  /** The static server answered for a host that has no app (a deleted app, a typo). */
  noApp: boolean;
  requests: number;
  c4xx: number;
  c5xx: number;
  sumMs: number;
  lastActive: number;
  hist: Histogram;
  /** Kept across beats: error rates are judged over recent requests, not since the last beat. */
  recent: RecentWindow;
}

export interface HttpStats {
  requests: number;
  errors4xx: number;
  errors5xx: number;
  /** 5xx share of requests, in percent. */
  errorRate: number;
  avgMs: number;
  p50: number;
  p99: number;
  lastActive: string | null;
  /** The error rate that rules judge: the last 15 minutes or the last 100 requests, whichever is larger. */
  recent: RecentStats;
}

export interface HttpWindow {
  /** Seconds the window covers (monotonic clock). */
  seconds: number;
  total: HttpStats;
  apps: Record<string, HttpStats & { appId: string | null; noApp: boolean }>;
}

/** The request observer pulse installs: counters and a histogram per app, read and reset each beat. */
export class RequestMetrics {
  private readonly byApp = new Map<string, Counters>();
  private windowStart = performance.now();
  /** Last request time per app, kept across windows so idle apps still report it. */
  private readonly lastSeen = new Map<string, number>();
  private readonly total = new RecentWindow();
  private unknownHosts = 0;

  readonly observe = (r: ObservedRequest): void => {
    let c = this.byApp.get(r.slug);
    if (c === undefined) {
      const noApp = r.appId === null && r.kind === 'static';
      const slug = noApp && this.unknownHosts >= MAX_UNKNOWN_HOSTS ? OTHER_HOSTS : r.slug;
      c = this.byApp.get(slug);
      if (c === undefined) {
        c = { slug, appId: r.appId, noApp, requests: 0, c4xx: 0, c5xx: 0, sumMs: 0, lastActive: 0, hist: new Histogram(), recent: new RecentWindow() };
        this.byApp.set(slug, c);
        if (noApp) this.unknownHosts++;
      }
    }
    const now = Date.now();
    const n = r.count ?? 1;
    c.requests += n;
    if (r.status >= 500) c.c5xx += n;
    else if (r.status >= 400) c.c4xx += n;
    c.sumMs += r.durationMs * n;
    c.lastActive = now;
    c.hist.record(r.durationMs, n);
    c.recent.record(r.status >= 500, now, n);
    this.total.record(r.status >= 500, now, n);
  };

  /** Drops what is kept of an app (it was deleted): a new app with its slug starts clean. */
  forget(slug: string): void {
    const c = this.byApp.get(slug);
    if (c?.noApp) this.unknownHosts--;
    this.byApp.delete(slug);
    this.lastSeen.delete(slug);
  }

  /**
   * Returns the window since the previous call and starts a new one. Apps with
   * no requests in it are still listed while their recent window remembers requests.
   */
  take(nowMs = Date.now()): HttpWindow {
    const now = performance.now();
    const seconds = Math.max(0, (now - this.windowStart) / 1000);
    this.windowStart = now;
    const all = new Histogram();
    const apps: HttpWindow['apps'] = {};
    let requests = 0, c4xx = 0, c5xx = 0, sumMs = 0, last = 0;
    for (const c of this.byApp.values()) {
      if (c.requests === 0) {
        // Hosts with no app need no memory once their requests are old; apps keep their last known state.
        if (c.noApp && nowMs - c.lastActive > RECENT_MINUTES * 60_000) this.forget(c.slug);
        else if (!c.recent.empty) apps[c.slug] = { appId: c.appId, noApp: c.noApp, ...stats(0, 0, 0, 0, c.hist, 0), recent: c.recent.read(nowMs) };
        continue;
      }
      if (c.lastActive) this.lastSeen.set(c.slug, c.lastActive);
      apps[c.slug] = { appId: c.appId, noApp: c.noApp, ...stats(c.requests, c.c4xx, c.c5xx, c.sumMs, c.hist, c.lastActive), recent: c.recent.read(nowMs) };
      all.merge(c.hist);
      requests += c.requests, c4xx += c.c4xx, c5xx += c.c5xx, sumMs += c.sumMs;
      last = Math.max(last, c.lastActive);
      c.requests = c.c4xx = c.c5xx = c.sumMs = 0;
      c.hist.reset();
    }
    return { seconds: round(seconds), total: { ...stats(requests, c4xx, c5xx, sumMs, all, last), recent: this.total.read(nowMs) }, apps };
  }

  lastActive(slug: string): string | null {
    const t = this.byApp.get(slug)?.lastActive || this.lastSeen.get(slug);
    return t ? new Date(t).toISOString() : null;
  }
}

function stats(requests: number, c4xx: number, c5xx: number, sumMs: number, hist: Histogram, last: number): Omit<HttpStats, 'recent'> {
  return {
    requests,
    errors4xx: c4xx,
    errors5xx: c5xx,
    errorRate: requests ? round((c5xx / requests) * 100) : 0,
    avgMs: requests ? round(sumMs / requests) : 0,
    p50: round(hist.quantile(0.5)),
    p99: round(hist.quantile(0.99)),
    lastActive: last ? new Date(last).toISOString() : null,
  };
}

export function round(n: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}
