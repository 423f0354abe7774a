import type { ObservedRequest, RequestObservers } from '../../kernel/request-observer.js';

/** How long counted hits may wait before observers get them, unless a reader flushes first. */
export const TALLY_FLUSH_MS = 1_000;

/** Successful static hits of one path with one method, status and size, since the last flush. */
class Tally {
  count = 0;
  /** Hits whose duration was measured, and the sum of those durations. */
  timed = 0;
  durationSum = 0;

  constructor(
    readonly appId: string,
    readonly slug: string,
    readonly method: string,
    readonly path: string,
    readonly status: number,
    readonly bytes: number,
  ) {}
}

/**
 * Counts hot static hits instead of reporting each one: a hit is a lookup and two
 * additions, and observers get one observation per path, method, status and size
 * with its count, at most TALLY_FLUSH_MS later or whenever a reader flushes
 * (pulse before a beat, the access log before a query). Per-request reporting
 * cost more than serving a small file over keep-alive.
 */
export class HitTally {
  // slug → path → tallies (one per method, status and size; usually one). Nested
  // maps: no key string is built per hit.
  private bySlug = new Map<string, Map<string, Tally[]>>();
  private pending: Tally[] = [];
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly observers: RequestObservers) {
    observers.addSource(() => this.flush());
  }

  /**
   * Counts one hit that began at `startedMs` (performance.now()). Its duration is
   * read for the first hit of a window and every 8th after: the mean of a path's
   * hits barely moves between them, and the clock is a cost on every hit.
   */
  count(appId: string, slug: string, method: string, path: string, status: number, bytes: number, startedMs: number): void {
    let paths = this.bySlug.get(slug);
    if (paths === undefined) this.bySlug.set(slug, (paths = new Map()));
    let list = paths.get(path);
    if (list === undefined) paths.set(path, (list = []));
    let t: Tally | undefined;
    for (const x of list) {
      if (x.status === status && x.bytes === bytes && x.method === method && x.appId === appId) {
        t = x;
        break;
      }
    }
    if (t === undefined) list.push((t = new Tally(appId, slug, method, path, status, bytes)));
    if (t.count === 0) this.pending.push(t);
    if ((t.count & 7) === 0) {
      t.durationSum += performance.now() - startedMs;
      t.timed++;
    }
    t.count++;
    if (this.timer === null) {
      this.timer = setTimeout(() => this.flush(), TALLY_FLUSH_MS);
      this.timer.unref();
    }
  }

  /** Hands every counted hit to the observers. */
  flush(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    const ready = this.pending;
    if (!ready.length) return;
    this.pending = [];
    // Paths seen in this window only: a crawler's unique URLs do not pile up.
    this.bySlug = new Map();
    for (const t of ready) this.observers.emit(observation(t));
  }
}

function observation(t: Tally): ObservedRequest {
  return {
    appId: t.appId, slug: t.slug, kind: 'static', method: t.method, path: t.path, status: t.status,
    durationMs: t.durationSum / t.timed, bytes: t.bytes, requestId: '', count: t.count,
  };
}
