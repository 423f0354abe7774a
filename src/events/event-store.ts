import { OpError } from '../kernel/ops/errors.js';
import { BatchWriter } from '../store/batch-writer.js';
import type { DB } from '../store/db.js';
import type { EmitOptions, EventEmitter, EventsApi } from './api.js';
import type { EventBus, FaztEvent } from './bus.js';
import { checkNamespace, sourceOf } from './namespace.js';
import { queryEvents, type EventQuery } from './event-query.js';
import { RateWindow } from './rate-window.js';

export const MAX_EVENT_BYTES = 64 * 1024;
export const DEFAULT_TTL_MS = 7 * 86_400_000;
export const DEFAULT_RATE_PER_SECOND = 100;

export interface EventStoreOptions {
  ttlMs?: number;
  /** Per app (and per agent); 0 turns the limit off. */
  ratePerSecond?: number;
  /** Also keep the pipeline's `op.*` events (the audit trail already records every call). */
  persistOps?: boolean;
  now?: () => number;
}

type Row = [id: string, type: string, source: string, data: string, timestamp: string, correlationId: string | null, expiresAt: string];

/**
 * The checked way into the bus, plus the persisted side of it: opt-in events and
 * every `system.*` event are kept (written in batches) until their TTL passes.
 */
export class EventStore implements EventsApi {
  private readonly writer: BatchWriter<Row>;
  private readonly rate: RateWindow;
  private readonly ttlMs: number;
  private readonly now: () => number;
  private readonly detach: (() => void)[] = [];
  private closed = false;

  constructor(
    private readonly bus: EventBus,
    private readonly db: DB,
    private readonly opts: EventStoreOptions = {},
  ) {
    this.ttlMs = opts.ttlMs && opts.ttlMs > 0 ? opts.ttlMs : DEFAULT_TTL_MS;
    this.rate = new RateWindow(opts.ratePerSecond ?? DEFAULT_RATE_PER_SECOND, 1000);
    this.now = opts.now ?? Date.now;
    const insert = db.prepare(
      'INSERT OR IGNORE INTO events (id, type, source, data, timestamp, correlation_id, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    const tx = db.transaction((rows: Row[]) => {
      for (const r of rows) insert.run(r);
    });
    this.writer = new BatchWriter(
      (rows) => {
        try {
          tx(rows);
        } catch (err) {
          process.emitWarning(`could not persist ${rows.length} events: ${(err as Error).message}`);
        }
      },
      { maxRows: 500, maxDelayMs: 200 },
    );
  }

  /** Keeps the kernel's own events (and `op.*` when configured) as they happen. */
  attach(): void {
    const keep = (e: FaztEvent) => this.persist(e, this.ttlMs, true);
    this.detach.push(this.bus.on('system.*', keep));
    if (this.opts.persistOps) this.detach.push(this.bus.on('op.*', keep));
  }

  emitFrom(emitter: EventEmitter, type: string, data: unknown, opts: EmitOptions = {}): FaztEvent {
    checkNamespace(emitter, type);
    const json = serialize(data);
    const bytes = Buffer.byteLength(json);
    if (bytes > MAX_EVENT_BYTES) {
      throw new OpError('TOO_LARGE', `Event data is ${bytes} bytes; the limit is ${MAX_EVENT_BYTES} bytes (64 KB). Store large payloads in storage and send a reference.`, {
        bytes,
        limit: MAX_EVENT_BYTES,
      });
    }
    if (opts.correlationId !== undefined && (typeof opts.correlationId !== 'string' || opts.correlationId.length > 200)) {
      throw new OpError('BAD_INPUT', 'correlationId must be a string of at most 200 characters.');
    }
    if (emitter.kind === 'app' || emitter.kind === 'agent') {
      const key = emitter.kind === 'app' ? `app:${emitter.appId}` : `agent:${emitter.name}`;
      const waitMs = this.rate.take(key, this.now());
      if (waitMs > 0) {
        const limit = this.opts.ratePerSecond ?? DEFAULT_RATE_PER_SECOND;
        throw new OpError('RATE_LIMITED', `Too many events: at most ${limit} per second per ${emitter.kind}; retry in ${waitMs} ms.`, {
          retryAfter: Math.max(1, Math.ceil(waitMs / 1000)),
          retryAfterMs: waitMs,
          limit,
        });
      }
    }
    const event = this.bus.emit({
      type,
      source: sourceOf(emitter),
      data: JSON.parse(json) as unknown,
      timestamp: new Date(this.now()).toISOString(),
      correlationId: opts.correlationId,
    });
    if (opts.persist && !this.autoPersisted(type)) this.persist(event, opts.ttlMs && opts.ttlMs > 0 ? opts.ttlMs : this.ttlMs, false);
    return event;
  }

  query(q: EventQuery): FaztEvent[] {
    this.flush();
    return queryEvents(this.db, q, new Date(this.now()).toISOString());
  }

  /** Deletes events whose TTL has passed; returns how many. */
  sweep(): number {
    this.flush();
    this.rate.prune(this.now());
    return this.db.prepare('DELETE FROM events WHERE expires_at <= ?').run(new Date(this.now()).toISOString()).changes;
  }

  flush(): void {
    this.writer.flush();
  }

  get pending(): number {
    return this.writer.pending;
  }

  close(): void {
    for (const d of this.detach.splice(0)) d();
    this.flush();
    this.closed = true;
  }

  private autoPersisted(type: string): boolean {
    return type.startsWith('system.') || (!!this.opts.persistOps && type.startsWith('op.'));
  }

  private persist(e: FaztEvent, ttlMs: number, trusted: boolean): void {
    if (this.closed) return;
    let json = serialize(e.data, trusted);
    if (trusted && Buffer.byteLength(json) > MAX_EVENT_BYTES) json = JSON.stringify({ _truncated: true, preview: json.slice(0, 1024) });
    const at = Date.parse(e.timestamp);
    const expires = new Date((Number.isNaN(at) ? this.now() : at) + ttlMs).toISOString();
    this.writer.push([e.id, e.type, e.source, json, e.timestamp, e.correlationId ?? null, expires]);
  }
}

/** Event data as JSON; anything that cannot be JSON is refused (or, from the kernel, summarised). */
function serialize(data: unknown, lenient = false): string {
  try {
    const json = JSON.stringify(data ?? null, (_k, v) => (typeof v === 'bigint' ? String(v) : v));
    return json === undefined ? 'null' : json;
  } catch (err) {
    if (lenient) return JSON.stringify({ _unserializable: String((err as Error).message) });
    throw new OpError('BAD_INPUT', `Event data must be JSON-serialisable: ${(err as Error).message}`);
  }
}
