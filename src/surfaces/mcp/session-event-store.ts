import type { EventStore, JSONRPCMessage } from '@modelcontextprotocol/server';

/** Events one session keeps for replay; older ones are dropped first. */
const MAX_EVENTS = 200;
/** Characters of messages, as JSON, one session keeps (the newest event is always kept). */
export const DEFAULT_MAX_EVENT_BYTES = 512 * 1024;

interface StoredEvent {
  id: string;
  streamId: string;
  /** Kept as the object the SDK sent: results built once (tool lists) stay shared between sessions. */
  message: JSONRPCMessage;
  /** Its length as JSON, counted against the budget. */
  size: number;
}

/**
 * The last messages of one Streamable HTTP session's SSE streams, so a client
 * whose stream dropped reconnects with `Last-Event-ID` and gets what it missed
 * (2025-11-25 resumability). With a store in place the SDK also opens each
 * stream with a priming event and a `retry` hint. Bounded in count and in
 * bytes, and in memory: a session lives in this process, and so do its streams.
 */
export class SessionEventStore implements EventStore {
  private events: StoredEvent[] = [];
  private seq = 0;
  private kept = 0;

  constructor(private readonly maxBytes = DEFAULT_MAX_EVENT_BYTES) {}

  /** Characters of messages held. */
  get bytes(): number {
    return this.kept;
  }

  /** Events held. */
  get size(): number {
    return this.events.length;
  }

  async storeEvent(streamId: string, message: JSONRPCMessage): Promise<string> {
    const id = `${++this.seq}`;
    const size = JSON.stringify(message).length;
    this.events.push({ id, streamId, message, size });
    this.kept += size;
    let drop = 0;
    while (this.events.length - drop > 1 && (this.events.length - drop > MAX_EVENTS || this.kept > this.maxBytes)) this.kept -= this.events[drop++].size;
    if (drop) this.events.splice(0, drop);
    return id;
  }

  async getStreamIdForEventId(eventId: string): Promise<string | undefined> {
    return this.events.find((e) => e.id === eventId)?.streamId;
  }

  async replayEventsAfter(lastEventId: string, { send }: { send: (eventId: string, message: JSONRPCMessage) => Promise<void> }): Promise<string> {
    const at = this.events.findIndex((e) => e.id === lastEventId);
    if (at < 0) throw new Error(`event ${lastEventId} is no longer kept; start a new request`);
    const { streamId } = this.events[at];
    for (const e of this.events.slice(at + 1)) {
      // Priming events carry no message: there is nothing to resend for them.
      if (e.streamId === streamId && 'jsonrpc' in e.message) await send(e.id, e.message);
    }
    return streamId;
  }
}
