import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startServer, type TestServer } from '../helpers/server.js';

const V = '2025-11-25';

/** SSE events of a finished stream: id, retry and data of each. */
function events(text: string): { id?: string; retry?: string; data: string }[] {
  return text
    .split('\n\n')
    .filter((block) => block.trim())
    .map((block) => {
      const e: { id?: string; retry?: string; data: string } = { data: '' };
      for (const line of block.split('\n')) {
        const [k, ...rest] = line.split(':');
        const v = rest.join(':').replace(/^ /, '');
        if (k === 'id') e.id = v;
        else if (k === 'retry') e.retry = v;
        else if (k === 'data') e.data += v;
      }
      return e;
    });
}

describe('MCP 2025 streams are resumable', () => {
  let server: TestServer;
  let session: string;
  before(async () => {
    server = await startServer();
    const init = await post({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: V, capabilities: {}, clientInfo: { name: 'raw', version: '1' } } });
    session = init.headers.get('mcp-session-id')!;
    await init.text();
    await (await post({ jsonrpc: '2.0', method: 'notifications/initialized' }, { 'mcp-session-id': session })).text();
  });
  after(() => server.close());

  function post(body: unknown, headers: Record<string, string> = {}) {
    return fetch(`${server.url}/mcp`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', authorization: `Bearer ${server.token}`, 'mcp-protocol-version': V, ...headers },
      body: JSON.stringify(body),
    });
  }

  it('opens a call\'s stream with a priming event and a retry hint, and replays it after Last-Event-ID', async () => {
    const r = await post({ jsonrpc: '2.0', id: 7, method: 'tools/call', params: { name: 'apps_list', arguments: {} } }, { 'mcp-session-id': session });
    assert.equal(r.status, 200);
    const [priming, answer] = events(await r.text());
    assert.ok(priming.id, 'the priming event has an id');
    assert.equal(priming.retry, '1000');
    assert.equal(priming.data, '');
    assert.equal(JSON.parse(answer.data).id, 7);

    // A client that lost the stream right after the priming event asks for what followed it.
    const ctl = new AbortController();
    const resumed = await fetch(`${server.url}/mcp`, {
      headers: { accept: 'text/event-stream', authorization: `Bearer ${server.token}`, 'mcp-protocol-version': V, 'mcp-session-id': session, 'last-event-id': priming.id! },
      signal: ctl.signal,
    });
    assert.equal(resumed.status, 200);
    const reader = resumed.body!.getReader();
    let text = '';
    while (!text.includes('\n\n')) text += new TextDecoder().decode((await reader.read()).value);
    ctl.abort();
    const replayed = events(text)[0];
    assert.equal(replayed.id, answer.id);
    assert.deepEqual(JSON.parse(replayed.data), JSON.parse(answer.data));
  });

  it('refuses to resume from an event it does not have', async () => {
    const r = await fetch(`${server.url}/mcp`, {
      headers: { accept: 'text/event-stream', authorization: `Bearer ${server.token}`, 'mcp-protocol-version': V, 'mcp-session-id': session, 'last-event-id': 'no-such-event' },
    });
    assert.equal(r.status, 400);
    assert.match(await r.text(), /event ID/i);
  });
});
