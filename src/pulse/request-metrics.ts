import type { ObservedRequest } from '../kernel/request-observer.js';
import { Histogram } from './histogram.js';

/** Counters for one app since the last beat; objects are reused, never reallocated per request. */
interface Counters {
  slug: string;
  appId: string | null;
  requests: number;
  c4xx: number;
  c5xx: number;
  sumMs: number;
  lastActive: number;
  hist: Histogram;
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
}

export interface HttpWindow {
  /** Seconds the window covers (monotonic clock). */
  seconds: number;
  total: HttpStats;
  apps: Record<string, HttpStats & { appId: string | null }>;
}

/** The request observer pulse installs: counters and a histogram per app, read and reset each beat. */
export class RequestMetrics {
  private readonly byApp = new Map<string, Counters>();
  private windowStart = performance.now();
  /** Last request time per app, kept across windows so idle apps still report it. */
  private readonly lastSeen = new Map<string, number>();

  readonly observe = (r: ObservedRequest): void => {
    let c = this.byApp.get(r.slug);
    if (c === undefined) {
      c = { slug: r.slug, appId: r.appId, requests: 0, c4xx: 0, c5xx: 0, sumMs: 0, lastActive: 0, hist: new Histogram() };
      this.byApp.set(r.slug, c);
    }
    c.requests++;
    if (r.status >= 500) c.c5xx++;
    else if (r.status >= 400) c.c4xx++;
    c.sumMs += r.durationMs;
    c.lastActive = Date.now();
    c.hist.record(r.durationMs);
  };

  /** Returns the window since the previous call and starts a new one. */
  take(): HttpWindow {
    const now = performance.now();
    const seconds = Math.max(0, (now - this.windowStart) / 1000);
    this.windowStart = now;
    const all = new Histogram();
    const apps: HttpWindow['apps'] = {};
    let requests = 0, c4xx = 0, c5xx = 0, sumMs = 0, last = 0;
    for (const c of this.byApp.values()) {
      if (c.requests === 0) continue;
      if (c.lastActive) this.lastSeen.set(c.slug, c.lastActive);
      apps[c.slug] = { appId: c.appId, ...stats(c.requests, c.c4xx, c.c5xx, c.sumMs, c.hist, c.lastActive) };
      all.merge(c.hist);
      requests += c.requests, c4xx += c.c4xx, c5xx += c.c5xx, sumMs += c.sumMs;
      last = Math.max(last, c.lastActive);
      c.requests = c.c4xx = c.c5xx = c.sumMs = 0;
      c.hist.reset();
    }
    return { seconds: round(seconds), total: stats(requests, c4xx, c5xx, sumMs, all, last), apps };
  }

  lastActive(slug: string): string | null {
    const t = this.byApp.get(slug)?.lastActive || this.lastSeen.get(slug);
    return t ? new Date(t).toISOString() : null;
  }
}

function stats(requests: number, c4xx: number, c5xx: number, sumMs: number, hist: Histogram, last: number): HttpStats {
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
