/** At most `max` events per client address within a sliding window; bounded in memory. */
export class AddressWindow {
  private readonly times = new Map<string, number[]>();

  constructor(readonly max: number, private readonly windowMs: number) {}

  /** Records an event; false (and nothing recorded) when the address is at its limit. */
  take(address: string): boolean {
    const now = Date.now();
    const recent = (this.times.get(address) ?? []).filter((t) => now - t < this.windowMs);
    if (recent.length >= this.max) return false;
    recent.push(now);
    if (this.times.size > 10_000) this.times.clear();
    this.times.set(address, recent);
    return true;
  }
}
