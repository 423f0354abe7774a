import type { Kernel } from '../../kernel/kernel.js';
import type { HttpWindow } from '../request-metrics.js';
import type { AppErrorWindow } from '../app-errors.js';

/** A collector's facts: nested objects of numbers (and a few labels), stored in the beat. */
export type Metrics = { [key: string]: MetricValue };
export type MetricValue = number | string | boolean | null | MetricValue[] | { [key: string]: MetricValue };

export interface CollectContext {
  kernel: Kernel;
  /** Wall-clock time of this beat (ms). */
  now: number;
  /** Wall-clock time of the previous beat, or null on the first one. */
  lastBeatAt: number | null;
  /** Request metrics and sandbox errors since the previous beat, taken once per beat. */
  http: HttpWindow;
  appErrors: AppErrorWindow;
  /** State kept between beats for this collector (CPU baseline, ...). */
  state: Record<string, unknown>;
  signal: AbortSignal;
}

export interface Collector {
  name: string;
  /** How long it may take before the beat records it as failed (default 2000 ms). */
  budgetMs?: number;
  collect(ctx: CollectContext): Metrics | Promise<Metrics>;
}

export function defineCollector(c: Collector): Collector {
  if (!/^[a-z][a-zA-Z0-9]*$/.test(c.name)) throw new Error(`invalid collector name '${c.name}'`);
  return Object.freeze(c);
}

export const DEFAULT_BUDGET_MS = 2000;

/** Collectors of one pulse instance; adding one is a call to add(), nothing else changes. */
export class CollectorRegistry {
  private readonly list = new Map<string, Collector>();
  private readonly states = new Map<string, Record<string, unknown>>();

  constructor(initial: Collector[] = []) {
    for (const c of initial) this.add(c);
  }

  add(c: Collector): () => void {
    if (this.list.has(c.name)) throw new Error(`duplicate collector '${c.name}'`);
    this.list.set(c.name, c);
    return () => this.remove(c.name);
  }

  remove(name: string): void {
    this.list.delete(name);
    this.states.delete(name);
  }

  all(): Collector[] {
    return [...this.list.values()];
  }

  stateOf(name: string): Record<string, unknown> {
    let s = this.states.get(name);
    if (!s) this.states.set(name, (s = {}));
    return s;
  }
}
