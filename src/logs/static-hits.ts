import type { ObservedRequest } from '../kernel/request-observer.js';

/** One aggregated access row: hits of one path with one status in one window. */
export interface HitGroup {
  at: string;
  appId: string | null;
  slug: string;
  method: string;
  path: string;
  status: number;
  hits: number;
  bytes: number;
  durationSum: number;
}

/**
 * Successful static hits are counted per window rather than written one row each:
 * at tens of thousands of requests a second a row per hit would cost more than
 * serving the file, and would push error and API lines out of the row cap within
 * a minute. Errors, API, MCP and kernel requests are still logged one by one.
 */
export class StaticHits {
  private groups = new Map<string, HitGroup>();

  /** True when the request was absorbed into a group. */
  add(r: ObservedRequest): boolean {
    if (r.kind !== 'static' || r.status >= 400) return false;
    const key = `${r.slug}\u0000${r.status}\u0000${r.method}\u0000${r.path}`;
    const g = this.groups.get(key);
    if (g) {
      g.hits++;
      g.bytes += r.bytes;
      g.durationSum += r.durationMs;
    } else {
      const path = r.path.length > 2048 ? r.path.slice(0, 2048) : r.path;
      this.groups.set(key, {
        at: new Date().toISOString(), appId: r.appId, slug: r.slug, method: r.method, path, status: r.status,
        hits: 1, bytes: r.bytes, durationSum: r.durationMs,
      });
    }
    return true;
  }

  /** Takes every group collected so far. */
  drain(): HitGroup[] {
    if (!this.groups.size) return [];
    const out = [...this.groups.values()];
    this.groups = new Map();
    return out;
  }

  get size(): number {
    return this.groups.size;
  }
}
