import type { EventStore, JSONRPCMessage } from '@modelcontextprotocol/server';

/** Events one session keeps for replay; older ones are dropped first. */
const MAX_EVENTS = 200;

/**
 * The last messages of one Streamable HTTP session's SSE streams, so a client
 * whose stream dropped reconnects with `Last-Event-ID` and gets what it missed
 * (2025-11-25 resumability). With a store in place the SDK also opens each
 * stream with a priming event and a `retry` hint. Bounded and in memory: a
 * session lives in this process, and so do its streams.
 */
export class SessionEventStore implements EventStore {
  private events: { id: string; streamId: string; message: JSONRPCMessage }[] = [];
  private seq = 0;

  async storeEvent(streamId: string, message: JSONRPCMessage): Promise<string> {
    const id = `${++this.seq}`;
    this.events.push({ id, streamId, message });
    if (this.events.length > MAX_EVENTS) this.events.splice(0, this.events.length - MAX_EVENTS);
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
