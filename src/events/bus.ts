import { randomUUID } from 'node:crypto';
import { matches } from './pattern.js';

export interface FaztEvent {
  id: string;
  type: string;
  source: string;
  data: unknown;
  timestamp: string;
  correlationId?: string;
}

export type EventInput = Omit<FaztEvent, 'id' | 'timestamp'> & { id?: string; timestamp?: string };
export type Listener = (e: FaztEvent) => void;

interface Subscription {
  pattern: string;
  listener: Listener;
  once: boolean;
}

/**
 * In-process publish/subscribe. Listeners run synchronously and a throwing
 * listener never breaks the emitter. Sinks (persistence, SSE fan-out) attach as
 * listeners on '*'.
 */
export class EventBus {
  private subs: Subscription[] = [];

  emit(input: EventInput): FaztEvent {
    const event: FaztEvent = {
      id: input.id ?? randomUUID(),
      type: input.type,
      source: input.source,
      data: input.data ?? null,
      timestamp: input.timestamp ?? new Date().toISOString(),
      ...(input.correlationId ? { correlationId: input.correlationId } : {}),
    };
    for (const s of [...this.subs]) {
      if (!matches(s.pattern, event.type)) continue;
      if (s.once) this.off(s.pattern, s.listener);
      try {
        s.listener(event);
      } catch (err) {
        process.emitWarning(`event listener for '${s.pattern}' threw: ${(err as Error).message}`);
      }
    }
    return event;
  }

  on(pattern: string, listener: Listener): () => void {
    this.subs.push({ pattern, listener, once: false });
    return () => this.off(pattern, listener);
  }

  once(pattern: string, listener: Listener): () => void {
    this.subs.push({ pattern, listener, once: true });
    return () => this.off(pattern, listener);
  }

  off(pattern: string, listener: Listener): void {
    this.subs = this.subs.filter((s) => !(s.pattern === pattern && s.listener === listener));
  }

  /** Resolves with the next event matching `pattern` (tests, CLI watch). */
  next(pattern: string, timeoutMs = 10_000): Promise<FaztEvent> {
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => (off(), reject(new Error(`no '${pattern}' event within ${timeoutMs}ms`))), timeoutMs);
      const off = this.once(pattern, (e) => (clearTimeout(t), resolve(e)));
    });
  }
}
