import type { ObservedRequest } from '../kernel/request-observer.js';
import { accessPath } from './fields.js';

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
  // slug → path → groups (one per status and method; usually one). Nested maps
  // avoid building a composite key string on every request.
  private groups = new Map<string, Map<string, HitGroup[]>>();
  private count = 0;

  /** True when the request was absorbed into a group. */
  add(r: ObservedRequest): boolean {
    if (r.kind !== 'static' || r.status >= 400) return false;
    let paths = this.groups.get(r.slug);
    if (paths === undefined) this.groups.set(r.slug, (paths = new Map()));
    let list = paths.get(r.path);
    if (list === undefined) paths.set(r.path, (list = []));
    const n = r.count ?? 1;
    for (const g of list) {
      if (g.status === r.status && g.method === r.method) {
        g.hits += n;
        g.bytes += r.bytes * n;
        g.durationSum += r.durationMs * n;
        return true;
      }
    }
    list.push({
      at: new Date().toISOString(), appId: r.appId, slug: r.slug, method: r.method, path: accessPath(r.path), status: r.status,
      hits: n, bytes: r.bytes * n, durationSum: r.durationMs * n,
    });
    this.count++;
    return true;
  }

  /** Takes every group collected so far. */
  drain(): HitGroup[] {
    if (!this.count) return [];
    const out: HitGroup[] = [];
    for (const paths of this.groups.values()) for (const list of paths.values()) out.push(...list);
    this.groups = new Map();
    this.count = 0;
    return out;
  }

  get size(): number {
    return this.count;
  }
}
