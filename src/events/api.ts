import type { FaztEvent } from './bus.js';

/** Who is emitting: the namespace rules depend on it. */
export type EventEmitter =
  | { kind: 'system' }
  | { kind: 'owner' }
  | { kind: 'app'; appId: string; slug: string }
  | { kind: 'agent'; name: string };

export interface EmitOptions {
  /** Keep the event in the store (queryable) for this long; default from config. */
  persist?: boolean;
  ttlMs?: number;
  correlationId?: string;
}

/**
 * The checked way to emit: namespace rules (apps only `app:<slug>.*`, only the
 * kernel `system.*`), 64 KB per event, 100 events/s per app. Throws OpError.
 */
export interface EventsApi {
  emitFrom(emitter: EventEmitter, type: string, data: unknown, opts?: EmitOptions): FaztEvent;
}

declare module '../kernel/services.js' {
  interface Services {
    eventStore: EventsApi;
  }
}
