import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { JSONRPCMessage } from '@modelcontextprotocol/server';
import { SessionEventStore } from './session-event-store.js';

const big = (id: number, kb: number): JSONRPCMessage => ({ jsonrpc: '2.0', id, result: { content: [{ type: 'text', text: 'x'.repeat(kb * 1024) }] } }) as JSONRPCMessage;

async function replayed(store: SessionEventStore, after: string): Promise<number[]> {
  const ids: number[] = [];
  await store.replayEventsAfter(after, { send: async (_id, m) => void ids.push((m as { id: number }).id) });
  return ids;
}

describe('SessionEventStore', () => {
  it('keeps events up to a byte budget, dropping the oldest first', async () => {
    const store = new SessionEventStore(256 * 1024);
    const first = await store.storeEvent('s1', {} as JSONRPCMessage);
    const ids: string[] = [];
    for (let i = 1; i <= 20; i++) ids.push(await store.storeEvent('s1', big(i, 64)));
    assert.ok(store.bytes <= 256 * 1024, `${store.bytes} bytes kept`);
    await assert.rejects(() => replayed(store, first), /no longer kept/, 'twenty 64 KB results do not all stay');
    assert.deepEqual(await replayed(store, ids[17]), [19, 20], 'the newest are replayed');
  });

  it('keeps the newest event even when it alone is over the budget', async () => {
    const store = new SessionEventStore(16 * 1024);
    const priming = await store.storeEvent('s1', {} as JSONRPCMessage);
    await store.storeEvent('s1', big(1, 64));
    await store.storeEvent('s2', big(2, 64));
    assert.equal(store.size, 1);
    await assert.rejects(() => replayed(store, priming), /no longer kept/);
  });

  it('replays only the stream of the given event, as the messages were sent', async () => {
    const store = new SessionEventStore();
    const a = await store.storeEvent('a', {} as JSONRPCMessage);
    await store.storeEvent('b', big(1, 1));
    await store.storeEvent('a', big(2, 1));
    assert.equal(await store.getStreamIdForEventId(a), 'a');
    const sent: JSONRPCMessage[] = [];
    await store.replayEventsAfter(a, { send: async (_id, m) => void sent.push(m) });
    assert.deepEqual(sent, [big(2, 1)]);
  });
});
