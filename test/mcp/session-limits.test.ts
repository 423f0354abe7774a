import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { startServer, type TestServer } from '../helpers/server.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { connect, textOf } from './client.js';

const V = '2025-11-25';
const INIT = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: V, capabilities: {}, clientInfo: { name: 'raw', version: '1' } } });
const PING = JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'ping' });

interface Raw {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** One raw HTTP exchange from a chosen loopback address (127.0.0.x), so tests can be several clients. */
function raw(base: string, path: string, opts: { method?: string; from?: string; token?: string; session?: string; body?: string } = {}): Promise<Raw> {
  const u = new URL(path, base);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        hostname: u.hostname, port: u.port, path: u.pathname, method: opts.method ?? 'POST', localAddress: opts.from ?? '127.0.0.1',
        headers: {
          'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-protocol-version': V,
          ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}), ...(opts.session ? { 'mcp-session-id': opts.session } : {}),
        },
      },
      (res) => {
        let body = '';
        res.on('data', (c) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end(opts.method === 'GET' || opts.method === 'DELETE' ? undefined : (opts.body ?? INIT));
  });
}

/** Opens a session with a raw initialize; returns its id (throws with the answer if refused). */
async function open(base: string, path: string, opts: { from?: string; token?: string } = {}): Promise<string> {
  const r = await raw(base, path, opts);
  assert.equal(r.status, 200, `initialize refused: ${r.status} ${r.body}`);
  return r.headers['mcp-session-id'] as string;
}

/** A GET stream held open on a session: the session is in use until `stop()`. */
function holdStream(base: string, path: string, session: string, from = '127.0.0.1', token?: string): Promise<{ stop(): void }> {
  const u = new URL(path, base);
  return new Promise((resolve, reject) => {
    const req = request({ hostname: u.hostname, port: u.port, path: u.pathname, method: 'GET', localAddress: from, headers: { accept: 'text/event-stream', 'mcp-protocol-version': V, 'mcp-session-id': session, ...(token ? { authorization: `Bearer ${token}` } : {}) } }, (res) => {
      assert.equal(res.statusCode, 200);
      res.resume();
      resolve({ stop: () => req.destroy() });
    });
    req.on('error', () => {});
    req.once('error', reject);
    req.end();
  });
}

async function publicApp(server: TestServer, slug: string): Promise<void> {
  const d = await server.op('deploy', { app: slug, files: [{ path: 'index.html', content: slug }, { path: 'manifest.json', content: JSON.stringify({ name: slug, mcp: { public: true } }) }] });
  assert.equal(d.status, 200, JSON.stringify(d.body));
}

describe('MCP sessions: callers without a token cannot crowd out the owner', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer({ extra: { 'mcp.sessions.perCaller': '2', 'mcp.sessions.publicPerEndpoint': '3', 'mcp.sessions.max': '3', 'mcp.sessions.owner': '2' } });
    await publicApp(server, 'pub');
  });
  after(() => server.close());

  it('once the public pool of an endpoint is full, another address gets 503 with Retry-After; the owner still opens sessions and calls tools', async () => {
    await open(server.url, '/mcp/apps/pub', { from: '127.0.0.2' });
    await open(server.url, '/mcp/apps/pub', { from: '127.0.0.2' });
    await open(server.url, '/mcp/apps/pub', { from: '127.0.0.3' });
    const refused = await raw(server.url, '/mcp/apps/pub', { from: '127.0.0.4' });
    assert.equal(refused.status, 503, refused.body);
    assert.match(String(refused.headers['retry-after']), /^\d+$/);
    assert.match(JSON.parse(refused.body).error.message, /without a token are all taken/);

    // The shared pool (max 3) is full too, yet the owner's reserve is untouched.
    for (const path of ['/mcp', '/mcp/apps/pub']) {
      const owner = await connect(`${server.url}${path}`, { token: server.token });
      try {
        if (path === '/mcp') assert.match(textOf(await owner.callTool({ name: 'apps_list', arguments: {} })), /pub/);
        else assert.ok(Array.isArray((await owner.listTools()).tools));
      } finally {
        await owner.close();
      }
    }
  });

  it('a token holder is refused (503) when the shared pool is full, but never evicts the owner', async () => {
    const tok = (await server.op('tokens.create', { name: 'reader', cap: ['kernel:apps:read'] }, { human: true })).body.token;
    const ownerSid = await open(server.url, '/mcp', { token: server.token });
    const r = await raw(server.url, '/mcp', { token: tok });
    assert.equal(r.status, 503, r.body);
    const ping = await raw(server.url, '/mcp', { token: server.token, session: ownerSid, body: PING });
    assert.equal(ping.status, 200, 'the owner session still answers');
  });
});

describe('MCP sessions: one caller at its cap', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer({ extra: { 'mcp.sessions.perCaller': '2', 'mcp.sessions.publicPerEndpoint': '5', 'mcp.sessions.max': '10' } });
    await publicApp(server, 'pub');
  });
  after(() => server.close());

  it('loses its own least recently used idle session to the new one, and nobody else\'s', async () => {
    const other = await open(server.url, '/mcp/apps/pub', { from: '127.0.0.9' });
    const first = await open(server.url, '/mcp/apps/pub', { from: '127.0.0.2' });
    const second = await open(server.url, '/mcp/apps/pub', { from: '127.0.0.2' });
    // Using the first session makes the second the least recently used.
    assert.equal((await raw(server.url, '/mcp/apps/pub', { from: '127.0.0.2', session: first, body: PING })).status, 200);
    const before = server.kernel.services.mcp.endpoint.sessionCount;
    const third = await open(server.url, '/mcp/apps/pub', { from: '127.0.0.2' });
    assert.equal(server.kernel.services.mcp.endpoint.sessionCount, before, 'one in, one out');
    assert.equal((await raw(server.url, '/mcp/apps/pub', { from: '127.0.0.2', session: second, body: PING })).status, 404, 'the evicted session is gone');
    for (const [sid, from] of [[first, '127.0.0.2'], [third, '127.0.0.2'], [other, '127.0.0.9']]) {
      assert.equal((await raw(server.url, '/mcp/apps/pub', { from, session: sid, body: PING })).status, 200);
    }
  });

  it('gets 429 with Retry-After when every one of its sessions is in use', async () => {
    const a = await open(server.url, '/mcp/apps/pub', { from: '127.0.0.5' });
    const b = await open(server.url, '/mcp/apps/pub', { from: '127.0.0.5' });
    const streams = [await holdStream(server.url, '/mcp/apps/pub', a, '127.0.0.5'), await holdStream(server.url, '/mcp/apps/pub', b, '127.0.0.5')];
    try {
      const r = await raw(server.url, '/mcp/apps/pub', { from: '127.0.0.5' });
      assert.equal(r.status, 429, r.body);
      assert.match(String(r.headers['retry-after']), /^\d+$/);
      assert.match(JSON.parse(r.body).error.message, /all 2 are in use/);
    } finally {
      for (const s of streams) s.stop();
    }
  });

  it('legacy SSE sessions count against the same cap (an open stream is a session in use)', async () => {
    const tok = (await server.op('tokens.create', { name: 'sse-reader', cap: ['kernel:apps:read'] }, { human: true })).body.token;
    const clients = [await connect(`${server.url}/sse`, { token: tok, sse: true }), await connect(`${server.url}/sse`, { token: tok, sse: true })];
    try {
      const r = await raw(server.url, '/mcp', { token: tok });
      assert.equal(r.status, 429, r.body);
    } finally {
      for (const c of clients) await c.close();
    }
  });
});

describe('MCP sessions: idle ones are swept', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer({ extra: { 'mcp.sessions.idle': '10m' } });
  });
  after(() => server.close());

  it('closes sessions idle past mcp.sessions.idle, and only those not in use', async () => {
    const endpoint = await server.kernel.services.mcp.ready();
    const idle = await open(server.url, '/mcp', { token: server.token });
    const busy = await open(server.url, '/mcp', { token: server.token });
    const stream = await holdStream(server.url, '/mcp', busy, '127.0.0.1', server.token);
    try {
      const count = endpoint.sessionCount;
      assert.equal(endpoint.sweep(Date.now() + 9 * 60_000), 0, 'not idle for 10 minutes yet');
      assert.equal(endpoint.sweep(Date.now() + 11 * 60_000), 1);
      assert.equal(endpoint.sessionCount, count - 1);
      assert.equal((await raw(server.url, '/mcp', { token: server.token, session: idle, body: PING })).status, 404);
      // An open stream keeps a session in use: the busy one survives and still answers.
      assert.equal((await raw(server.url, '/mcp', { token: server.token, session: busy, body: PING })).status, 200);
    } finally {
      stream.stop();
    }
  });
});

describe('MCP sessions: ended by the client', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer();
  });
  after(() => server.close());

  it('a session the client DELETEs leaves nothing in the session table', async () => {
    const clients = [];
    for (let i = 0; i < 5; i++) clients.push(await connect(`${server.url}/mcp`, { token: server.token }));
    const endpoint = server.kernel.services.mcp.endpoint;
    assert.equal(endpoint.sessionCount, 5);
    for (const c of clients) {
      await (c.transport as StreamableHTTPClientTransport).terminateSession();
      await c.close();
    }
    assert.equal(endpoint.sessionCount, 0);
  });
});
