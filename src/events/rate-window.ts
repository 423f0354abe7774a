/**
 * At most `limit` events in any sliding window of `windowMs` per key: a ring of the
 * last `limit` timestamps, so a check is O(1).
 */
export class RateWindow {
  private readonly rings = new Map<string, { times: number[]; next: number }>();

  constructor(
    private readonly limit: number,
    private readonly windowMs = 1000,
  ) {}

  /** Records an event and returns 0, or returns the ms to wait when over the limit. */
  take(key: string, now: number): number {
    if (this.limit <= 0) return 0;
    let r = this.rings.get(key);
    if (!r) this.rings.set(key, (r = { times: [], next: 0 }));
    if (r.times.length < this.limit) {
      r.times.push(now);
      return 0;
    }
    const oldest = r.times[r.next];
    const wait = oldest + this.windowMs - now;
    if (wait > 0) return wait;
    r.times[r.next] = now;
    r.next = (r.next + 1) % this.limit;
    return 0;
  }

  /** Drops keys idle for a whole window (keeps memory bounded as apps come and go). */
  prune(now: number): void {
    for (const [k, r] of this.rings) {
      const newest = r.times[(r.next + r.times.length - 1) % r.times.length];
      if (newest === undefined || now - newest > this.windowMs) this.rings.delete(k);
    }
  }
}
