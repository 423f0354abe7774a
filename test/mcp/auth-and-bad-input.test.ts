import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { z } from 'zod';
import { startServer, type TestServer } from '../helpers/server.js';
import { connect, textOf } from './client.js';

const INIT = {
  jsonrpc: '2.0', id: 1, method: 'initialize',
  params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
};

describe('MCP auth and bad input', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer();
  });
  after(() => server.close());

  const post = (body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${server.url}/mcp`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', authorization: `Bearer ${server.token}`, ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });

  async function token(name: string, caps: string[], extra: Record<string, unknown> = {}): Promise<string> {
    const r = await server.op('tokens.create', { name, cap: caps, ...extra }, { human: true });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    return r.body.token;
  }

  it('401 with WWW-Authenticate without a token or with a bad one', async () => {
    for (const auth of [undefined, 'Bearer fzt_nope']) {
      const r = await fetch(`${server.url}/mcp`, { method: 'POST', headers: { 'content-type': 'application/json', ...(auth ? { authorization: auth } : {}) }, body: JSON.stringify(INIT) });
      assert.equal(r.status, 401);
      assert.match(r.headers.get('www-authenticate') ?? '', /resource_metadata=".*\/\.well-known\/oauth-protected-resource"/);
    }
    const meta = await fetch(`${server.url}/.well-known/oauth-protected-resource`);
    assert.equal(meta.status, 200);
  });

  it('a kernel:apps:read token sees no apps_delete and cannot call it', async () => {
    const t = await token('reader', ['kernel:apps:read']);
    const client = await connect(`${server.url}/mcp`, { token: t });
    try {
      const names = (await client.listTools()).tools.map((x) => x.name);
      assert.ok(names.includes('apps_list'));
      assert.ok(!names.includes('apps_delete'));
      assert.ok(!names.includes('deploy'));
      const r = await client.callTool({ name: 'apps_delete', arguments: { id: 'admin' } });
      assert.equal(r.isError, true);
      assert.match(textOf(r), /FORBIDDEN.*kernel:apps:write/);
      const { resources } = await client.listResources();
      assert.ok(!resources.some((x) => x.uri === 'fazt://config'), 'config needs kernel:config:read');
    } finally {
      await client.close();
    }
  });

  it('a revoked token gets 401 on the next request of its session', async () => {
    const t = await token('shortlived', ['kernel:apps:read']);
    const client = await connect(`${server.url}/mcp`, { token: t });
    try {
      await client.listTools();
      const rv = await server.op('tokens.revoke', { id: 'shortlived' }, { human: true });
      assert.equal(rv.status, 200, JSON.stringify(rv.body));
      await assert.rejects(client.listTools(), /401|Unauthorized|revoked/i);
    } finally {
      await client.close().catch(() => {});
    }
  });

  it('foreign Origin → 403; localhost origin is fine', async () => {
    assert.equal((await post(INIT, { origin: 'http://evil.example' })).status, 403);
    assert.equal((await post(INIT, { origin: 'http://localhost:3000' })).status, 200);
  });

  it('unknown session id → 404', async () => {
    const r = await post({ jsonrpc: '2.0', id: 2, method: 'tools/list' }, { 'mcp-session-id': 'no-such-session', 'mcp-protocol-version': '2025-11-25' });
    assert.equal(r.status, 404);
    assert.match(await r.text(), /Session not found/);
  });

  it('malformed JSON, batches, non JSON-RPC and oversize messages are refused clearly', async () => {
    const parse = await post('{"jsonrpc": "2.0", ');
    assert.equal(parse.status, 400);
    assert.equal(((await parse.json()) as any).error.code, -32700);
    const batch = await post([INIT, INIT]);
    assert.equal(batch.status, 400);
    assert.match(((await batch.json()) as any).error.message, /Batch/);
    const notRpc = await post({ hello: 'world' });
    assert.equal(notRpc.status, 400);
    assert.equal(((await notRpc.json()) as any).error.code, -32600);
    const big = await post({ jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name: 'apps_list', arguments: { pad: 'x'.repeat(5 * 1024 * 1024) } } });
    assert.equal(big.status, 413);
    assert.match(((await big.json()) as any).error.message, /too large.*limit/i);
    const deep = await post(`{"jsonrpc":"2.0","id":4,"method":"tools/call","params":{"name":"apps_list","arguments":{"x":${'['.repeat(5000)}${']'.repeat(5000)}}}}`);
    assert.equal(deep.status, 400);
    assert.match(((await deep.json()) as any).error.message, /nested deeper than 64 levels/);
  });

  it('unknown methods and unknown tools are JSON-RPC errors, the session survives', async () => {
    const client = await connect(`${server.url}/mcp`, { token: server.token });
    try {
      await assert.rejects(client.request({ method: 'nope/nothing', params: {} }, z.object({})), /not found|-32601/i);
      await assert.rejects(client.callTool({ name: 'no_such_tool', arguments: {} }), /Unknown tool/);
      assert.ok((await client.listTools()).tools.length > 0);
    } finally {
      await client.close();
    }
  });

  it('a tool call racing its own cancellation leaves the server healthy', async () => {
    const client = await connect(`${server.url}/mcp`, { token: server.token });
    try {
      for (let i = 0; i < 5; i++) {
        const ac = new AbortController();
        const p = client.callTool({ name: 'apps_list', arguments: {} }, { signal: ac.signal });
        ac.abort();
        await p.then(() => {}, () => {});
      }
      const r = await client.callTool({ name: 'apps_list', arguments: {} });
      assert.notEqual(r.isError, true);
    } finally {
      await client.close();
    }
  });
});
