import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { startServer } from '../helpers/server.js';

/** Reads a response body to its end; rejects if the connection is cut instead. */
async function drain(res: Response): Promise<string> {
  const reader = res.body!.getReader();
  let text = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return text;
    text += new TextDecoder().decode(value);
  }
}

describe('event and log streams on shutdown', () => {
  it('end cleanly when the server stops, instead of being cut off', async () => {
    const s = await startServer();
    const headers = { authorization: `Bearer ${s.token}` };
    const events = await fetch(`${s.url}/api/stream/events`, { headers });
    const logs = await fetch(`${s.url}/api/stream/logs`, { headers });
    assert.equal(events.status, 200);
    assert.equal(logs.status, 200);
    const ended = Promise.all([drain(events), drain(logs)]);
    await s.close();
    const [e, l] = await ended;
    assert.match(e, /^: stream open\n\n[^]*: server stopping\n\n$/);
    assert.match(l, /^: stream open\n\n[^]*: server stopping\n\n$/);
  });
});
