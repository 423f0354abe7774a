import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startServer, fetchWithHost, type TestServer } from '../helpers/server.js';
import { connect } from './client.js';

const INIT = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'raw', version: '1' } } });

describe('mcp.app endpoints', () => {
  let server: TestServer;
  let appId: string;
  before(async () => {
    server = await startServer();
    const d = await server.op('deploy', { app: 'shop', files: [{ path: 'index.html', content: 'shop' }] });
    assert.equal(d.status, 200, JSON.stringify(d.body));
    appId = (await server.op('apps.get', { id: 'shop' })).body.id;
  });
  after(() => server.close());

  const token = async (name: string, cap: string[]) => (await server.op('tokens.create', { name, cap }, { human: true })).body.token as string;
  const post = (path: string, host: string | undefined, headers: Record<string, string> = {}) =>
    fetchWithHost(server.url, path, host, { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'content-length': String(Buffer.byteLength(INIT)), ...headers }, 'POST');

  it('a non-public app needs a token (401) holding app:<id>:read (403 insufficient_scope)', async () => {
    const none = await postBody(`/mcp/apps/shop`);
    assert.equal(none.status, 401);
    const other = await token('other-scope', ['kernel:apps:read']);
    const denied = await postBody(`/mcp/apps/shop`, { authorization: `Bearer ${other}` });
    assert.equal(denied.status, 403);
    assert.match(denied.headers.get('www-authenticate') ?? '', new RegExp(`insufficient_scope.*app:${appId}:read`));
  });

  it('app:<id>:read reaches the app endpoint on the kernel host and on the app host', async () => {
    const t = await token('shop-reader', [`app:${appId}:read`]);
    const client = await connect(`${server.url}/mcp/apps/shop`, { token: t });
    try {
      const { tools } = await client.listTools();
      assert.ok(tools.every((x) => !x.name.startsWith('apps_')), 'no kernel tools on an app endpoint');
    } finally {
      await client.close();
    }
    const r = await postBody('/mcp', { authorization: `Bearer ${t}`, host: 'shop.localhost' });
    assert.equal(r.status, 200);
    // The same token is no good on the kernel endpoint beyond what it holds.
    const k = await connect(`${server.url}/mcp`, { token: t });
    try {
      const names = (await k.listTools()).tools.map((x) => x.name);
      assert.ok(!names.includes('apps_delete'));
    } finally {
      await k.close();
    }
  });

  it('unknown apps are 404', async () => {
    const r = await postBody('/mcp/apps/nope', { authorization: `Bearer ${server.token}` });
    assert.equal(r.status, 404);
  });

  async function postBody(path: string, headers: Record<string, string> = {}): Promise<Response> {
    const { request } = await import('node:http');
    const u = new URL(path, server.url);
    return new Promise((resolve, reject) => {
      const req = request({ hostname: u.hostname, port: u.port, path: u.pathname, method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => {
          const h = new Headers();
          for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) h.set(k, Array.isArray(v) ? v.join(', ') : v);
          resolve(new Response(Buffer.concat(chunks), { status: res.statusCode, headers: h }));
        });
      });
      req.on('error', reject);
      req.end(INIT);
    });
  }
  void post;
});

describe('mcp.app with tools the app registered', () => {
  let server: TestServer;
  let blogId: string;
  before(async () => {
    server = await startServer();
    const { readDir } = await import('../runtime/app-client.js');
    const { join } = await import('node:path');
    const { ROOT } = await import('../helpers/paths.js');
    const files = Object.entries(readDir(join(ROOT, 'examples', 'blog'))).map(([path, content]) => ({ path, content }));
    const d = await server.op('deploy', { app: 'blog', files });
    assert.equal(d.status, 200, JSON.stringify(d.body));
    blogId = (await server.op('apps.get', { id: 'blog' })).body.id;
  });
  after(() => server.close());

  it('exposes the app tools unprefixed; a read token sees only read-only ones', async () => {
    const t = (await server.op('tokens.create', { name: 'blog-reader', cap: [`app:${blogId}:read`] }, { human: true })).body.token;
    const reader = await connect(`${server.url}/mcp/apps/blog`, { token: t });
    try {
      const names = (await reader.listTools()).tools.map((x) => x.name);
      assert.deepEqual(names, ['posts_list']);
    } finally {
      await reader.close();
    }
    const owner = await connect(`${server.url}/mcp/apps/blog`, { token: server.token });
    try {
      const names = (await owner.listTools()).tools.map((x) => x.name).sort();
      assert.deepEqual(names, ['posts_create', 'posts_list']);
      const r = await owner.callTool({ name: 'posts_list', arguments: {} });
      assert.notEqual(r.isError, true, JSON.stringify(r));
    } finally {
      await owner.close();
    }
  });

  it('the owner sees app tools on the kernel endpoint as <slug>_<tool>', async () => {
    const client = await connect(`${server.url}/mcp`, { token: server.token });
    try {
      const names = (await client.listTools()).tools.map((x) => x.name);
      assert.ok(names.includes('blog_posts_list'));
      assert.ok(names.includes('apps_list'));
    } finally {
      await client.close();
    }
  });

  it('a redeploy that changes the tools sends tools/list_changed', async () => {
    const client = await connect(`${server.url}/mcp/apps/blog`, { token: server.token });
    try {
      const changed = new Promise<void>((resolve) => client.setNotificationHandler('notifications/tools/list_changed', () => resolve()));
      const main = "fazt.mcp.tool('ping', { description: 'Answers pong', readOnly: true, handler: async () => 'pong' });\nexport default async () => ({ body: 'ok' });\n";
      const d = await server.op('deploy', { app: 'blog', files: [{ path: 'index.html', content: 'x' }, { path: 'api/main.js', content: main }] });
      assert.equal(d.status, 200, JSON.stringify(d.body));
      await changed;
      assert.deepEqual((await client.listTools()).tools.map((x) => x.name), ['ping']);
    } finally {
      await client.close();
    }
  });
});
