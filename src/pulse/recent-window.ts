/** Minutes of requests an error rate is judged over, when they hold enough requests. */
export const RECENT_MINUTES = 15;
/** Requests an error rate is judged over at least, however old: a quiet app keeps its last known state. */
export const RECENT_REQUESTS = 100;

const MINUTE_MS = 60_000;

/** A type, not an interface: beats store it as plain metrics. */
export type RecentStats = {
  requests: number;
  errors5xx: number;
  /** 5xx share, in percent. */
  errorRate: number;
  /** What the numbers cover: `last 15 min` or `last 100 requests`, whichever holds more requests. */
  basis: string;
};

/**
 * Outcomes of an app's recent requests, independent of when beats happen: the
 * last RECENT_MINUTES minutes or the last RECENT_REQUESTS requests, whichever
 * holds more. Fixed size (one byte per remembered request, a counter pair per
 * minute), so it can sit on the request path.
 */
export class RecentWindow {
  private readonly failed = new Uint8Array(RECENT_REQUESTS);
  private next = 0;
  private filled = 0;
  private failedInRing = 0;
  private readonly minute = new Float64Array(RECENT_MINUTES).fill(-1);
  private readonly perMinute = new Uint32Array(RECENT_MINUTES);
  private readonly failedPerMinute = new Uint32Array(RECENT_MINUTES);

  record(is5xx: boolean, atMs: number, times = 1): void {
    const flag = is5xx ? 1 : 0;
    // Past RECENT_REQUESTS the ring holds nothing older: write it at most once round.
    for (let i = Math.min(times, RECENT_REQUESTS); i > 0; i--) {
      this.failedInRing += flag - this.failed[this.next];
      this.failed[this.next] = flag;
      this.next = (this.next + 1) % RECENT_REQUESTS;
      if (this.filled < RECENT_REQUESTS) this.filled++;
    }

    const m = Math.floor(atMs / MINUTE_MS);
    const slot = m % RECENT_MINUTES;
    if (this.minute[slot] !== m) {
      this.minute[slot] = m;
      this.perMinute[slot] = 0;
      this.failedPerMinute[slot] = 0;
    }
    this.perMinute[slot] += times;
    this.failedPerMinute[slot] += flag * times;
  }

  read(nowMs: number): RecentStats {
    const now = Math.floor(nowMs / MINUTE_MS);
    let requests = 0, errors = 0;
    for (let i = 0; i < RECENT_MINUTES; i++) {
      const m = this.minute[i];
      // Minutes ahead of now (a clock that jumped back) are left out rather than counted twice.
      if (m > now - RECENT_MINUTES && m <= now) {
        requests += this.perMinute[i];
        errors += this.failedPerMinute[i];
      }
    }
    if (requests > this.filled) return stats(requests, errors, `last ${RECENT_MINUTES} min`);
    return stats(this.filled, this.failedInRing, `last ${RECENT_REQUESTS} requests`);
  }

  get empty(): boolean {
    return this.filled === 0;
  }
}

function stats(requests: number, errors5xx: number, basis: string): RecentStats {
  return { requests, errors5xx, errorRate: requests ? Math.round((errors5xx / requests) * 10_000) / 100 : 0, basis };
}
