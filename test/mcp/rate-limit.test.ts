import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { BIN } from '../helpers/paths.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { tempDir } from '../helpers/temp.js';
import { connect, textOf } from './client.js';

const LIMIT = 3;
const META = {
  'io.modelcontextprotocol/protocolVersion': '2026-07-28',
  'io.modelcontextprotocol/clientInfo': { name: 'raw', version: '1' },
  'io.modelcontextprotocol/clientCapabilities': {},
};

/** One 2026-era request, as an SDK client would send it, without a client library in the way. */
function modern(url: string, token: string, id: number, method: string, params: Record<string, unknown> = {}, name?: string): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      'mcp-protocol-version': '2026-07-28',
      'mcp-method': method,
      ...(name ? { 'mcp-name': name } : {}),
    },
    body: JSON.stringify({ jsonrpc: '2.0', id, method, params: { ...params, _meta: META } }),
  });
}

describe('MCP rate limit per token', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer({ rateLimitPerMinute: LIMIT });
  });
  after(() => server.close());

  const token = async (name: string) => (await server.op('tokens.create', { name, cap: ['kernel:apps:read'] }, { human: true })).body.token as string;

  it('over HTTP, the request past the limit gets 429 with Retry-After before reaching a tool', async () => {
    const t = await token('busy-model');
    const call = (id: number) => modern(`${server.url}/mcp`, t, id, 'tools/call', { name: 'apps_list', arguments: {} }, 'apps_list');
    for (let i = 1; i <= LIMIT; i++) {
      const r = await call(i);
      assert.equal(r.status, 200);
      const body = (await r.json()) as { result?: { isError?: boolean } };
      assert.notEqual(body.result?.isError, true, JSON.stringify(body));
    }
    const rows = () => server.kernel.audit.query({ op: 'apps.list', caller: 'busy-model', limit: 1000 }).length;
    const audited = rows();
    const over = await call(99);
    assert.equal(over.status, 429);
    const retry = Number(over.headers.get('retry-after'));
    assert.ok(retry >= 1 && retry <= 60, `Retry-After ${retry}`);
    const body = (await over.json()) as { id: number; error: { message: string } };
    assert.equal(body.id, 99, 'the JSON-RPC error answers the request it refuses');
    assert.match(body.error.message, /Rate limit of 3 calls per minute/);
    assert.equal(rows(), audited, 'a refused request never reached the pipeline');

    // Listing is not counted, but once the token is over its limit every request waits.
    assert.equal((await modern(`${server.url}/mcp`, t, 100, 'tools/list')).status, 429);
  });

  it('a 2025 session sees the 429 as a failed request; other tokens and the owner go on', async () => {
    const t = await token('session-model');
    const client = await connect(`${server.url}/mcp`, { token: t });
    try {
      for (let i = 0; i < LIMIT; i++) assert.notEqual((await client.callTool({ name: 'apps_list', arguments: {} })).isError, true);
      await assert.rejects(client.callTool({ name: 'apps_list', arguments: {} }), /429|rate limit/i);
    } finally {
      await client.close().catch(() => {});
    }
    const fresh = await token('other-model');
    assert.equal((await modern(`${server.url}/mcp`, fresh, 1, 'tools/call', { name: 'apps_list', arguments: {} }, 'apps_list')).status, 200);
    for (let i = 0; i < LIMIT + 2; i++) {
      assert.equal((await modern(`${server.url}/mcp`, server.token, i, 'tools/call', { name: 'apps_list', arguments: {} }, 'apps_list')).status, 200);
    }
  });

  it('counts each call once: MCP calls and admin API calls share the window', async () => {
    const t = await token('mixed-model');
    assert.equal((await server.op('apps.list', {}, { token: t })).status, 200);
    assert.equal((await server.op('apps.list', {}, { token: t })).status, 200);
    assert.equal((await modern(`${server.url}/mcp`, t, 1, 'tools/call', { name: 'apps_list', arguments: {} }, 'apps_list')).status, 200);
    assert.equal((await modern(`${server.url}/mcp`, t, 2, 'tools/call', { name: 'apps_list', arguments: {} }, 'apps_list')).status, 429);
    assert.equal((await server.op('apps.list', {}, { token: t })).status, 429);
  });

  it('over stdio, the call past the limit is a tool error naming RATE_LIMITED', async () => {
    const tmp = tempDir();
    const s = await startServer({ dataDir: tmp.dir });
    const t = (await s.op('tokens.create', { name: 'stdio-model', cap: ['kernel:apps:read'] }, { human: true })).body.token as string;
    await s.close();
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [BIN, 'mcp', 'start', '--stdio', '--data', tmp.dir, '--token', t],
      env: { ...process.env, FAZT_URL: '', FAZT_TOKEN: '', FAZT_RATE_LIMIT: String(LIMIT) } as Record<string, string>,
      stderr: 'pipe',
    });
    const client = new Client({ name: 'stdio-limit', version: '1' });
    await client.connect(transport);
    try {
      for (let i = 0; i < LIMIT; i++) assert.notEqual((await client.callTool({ name: 'apps_list', arguments: {} })).isError, true);
      const r = await client.callTool({ name: 'apps_list', arguments: {} });
      assert.equal(r.isError, true);
      assert.match(textOf(r), /^RATE_LIMITED: .*retry in \d+s/);
    } finally {
      await client.close();
      tmp.cleanup();
    }
  });
});
