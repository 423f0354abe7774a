import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { startServer, type TestServer } from '../helpers/server.js';
import { textOf } from './client.js';

/** A 2025-11-25 client that can open URLs for its user; `onUrl` plays the person in the browser. */
async function urlClient(s: TestServer, token: string, onUrl: (p: { url: string; message: string; elicitationId: string }) => { action: string }): Promise<Client> {
  const client = new Client({ name: 'url-client', version: '1.0.0' }, { capabilities: { elicitation: { url: {} } } } as never);
  client.setRequestHandler('elicitation/create', async (req) => onUrl(req.params as never) as never);
  await client.connect(new StreamableHTTPClientTransport(new URL(`${s.url}/mcp`), { requestInit: { headers: { authorization: `Bearer ${token}` } } }) as never);
  return client;
}

/** What a person does on the page: open it, then press its button. */
async function approveInBrowser(url: string): Promise<number> {
  const page = await fetch(url);
  const nonce = /name="nonce" value="([^"]+)"/.exec(await page.text())?.[1];
  assert.ok(nonce, 'the page carries its form');
  const r = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', origin: new URL(url).origin }, body: new URLSearchParams({ nonce }).toString() });
  return r.status;
}

describe('halt over MCP: the approval page through URL-mode elicitation', () => {
  let s: TestServer;
  let token: string;
  before(async () => {
    s = await startServer();
    token = (await s.op('tokens.create', { name: 'assistant', cap: ['kernel:apps:*'] }, { human: true })).body.token;
  });
  after(() => s.close());

  it('offers the page instead of a form; the decision made there runs the call and the tool answers with its result', async () => {
    assert.equal((await s.op('apps.create', { name: 'old-site' })).status, 200);
    const shown: { url: string; message: string; elicitationId: string }[] = [];
    let pressed: Promise<number> | undefined;
    const client = await urlClient(s, token, (p) => {
      shown.push(p);
      pressed = approveInBrowser(p.url);
      return { action: 'accept' };
    });
    try {
      const r = await client.callTool({ name: 'apps_delete', arguments: { id: 'old-site' } });
      assert.notEqual(r.isError, true, textOf(r));
      assert.equal((r.structuredContent as { deleted: boolean }).deleted, true);
      assert.equal(await pressed, 200);
      assert.equal(shown.length, 1);
      assert.match(shown[0].url, new RegExp(`^${s.url}/approve/`));
      assert.match(shown[0].message, /Delete app 'old-site'/);
      assert.equal((await s.op('apps.get', { id: 'old-site' })).status, 404);
      const halt = (await s.op('halt.status', { id: shown[0].elicitationId }, { human: true })).body;
      assert.equal(halt.status, 'approved');
    } finally {
      await client.close();
    }
  });

  it('a person who does not open the page leaves a pending halt, and nothing runs', async () => {
    assert.equal((await s.op('apps.create', { name: 'kept-site' })).status, 200);
    const client = await urlClient(s, token, () => ({ action: 'decline' }));
    try {
      const r = await client.callTool({ name: 'apps_delete', arguments: { id: 'kept-site' } });
      assert.match(textOf(r), /halt/i);
      assert.equal((await s.op('apps.get', { id: 'kept-site' })).status, 200);
      const pending = (await s.op('halt.list', {}, { human: true })).body.halts.filter((h: { op: string; status: string }) => h.op === 'apps.delete' && h.status === 'pending');
      assert.equal(pending.length, 1);
    } finally {
      await client.close();
    }
  });
});
