import type { FaztEvent } from '../events/bus.js';

/**
 * The last few hundred notable events in memory (deploys, app errors, halts), so a
 * beat and pulse.ask can relate metrics to what happened without a query. Op calls
 * and pulse's own events are left out.
 */
export class RecentEvents {
  private readonly ring: FaztEvent[] = [];

  constructor(private readonly capacity = 500) {}

  readonly onEvent = (e: FaztEvent): void => {
    if (e.type.startsWith('op.') || e.type.startsWith('system.pulse.')) return;
    this.ring.push(e);
    if (this.ring.length > this.capacity) this.ring.shift();
  };

  since(ms: number): FaztEvent[] {
    return this.ring.filter((e) => Date.parse(e.timestamp) >= ms);
  }

  between(fromMs: number, toMs: number): FaztEvent[] {
    return this.ring.filter((e) => {
      const t = Date.parse(e.timestamp);
      return t >= fromMs && t <= toMs;
    });
  }
}
