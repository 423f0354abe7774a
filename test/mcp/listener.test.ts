import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { BIN } from '../helpers/paths.js';
import { runCli, startServer, type TestServer } from '../helpers/server.js';
import { tempDir } from '../helpers/temp.js';
import { connect } from './client.js';

interface Listener {
  url: string;
  out: () => string;
  stop(): Promise<void>;
}

/** `fazt mcp start --port 0 ...` as a child process; resolves once it prints its URL. */
function startListener(args: string[]): Promise<Listener> {
  return new Promise((resolve, reject) => {
    const child: ChildProcess = spawn(process.execPath, [BIN, 'mcp', 'start', '--port', '0', ...args], {
      env: { ...process.env, FAZT_URL: '', FAZT_TOKEN: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    const stop = () => new Promise<void>((r) => (child.exitCode !== null ? r() : (child.once('exit', () => r()), child.kill('SIGTERM'))));
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /fazt MCP at (http:\/\/\S+)\/mcp/.exec(out);
      if (m) resolve({ url: m[1], out: () => out, stop });
    });
    child.stderr!.on('data', (d) => (out += d));
    child.once('exit', (code) => reject(new Error(`listener exited (${code}):\n${out}`)));
  });
}

const INIT = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'raw', version: '1' } } });
const post = (url: string, headers: Record<string, string> = {}) =>
  fetch(`${url}/mcp`, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers }, body: INIT });

describe('fazt mcp start --port (standalone listener)', () => {
  let server: TestServer;
  let reader: string;
  before(async () => {
    server = await startServer();
    reader = (await server.op('tokens.create', { name: 'listener-reader', cap: ['kernel:apps:read'] }, { human: true })).body.token;
  });
  after(() => server.close());

  it('on a data dir with no server running: clients must send a Bearer token, as on /mcp', async () => {
    const tmp = tempDir();
    const s = await startServer({ dataDir: tmp.dir });
    await s.op('apps.create', { name: 'offline' });
    const owner = s.token;
    await s.close();
    const l = await startListener(['--data', tmp.dir]);
    try {
      assert.match(l.out(), /data: /);
      const anon = await post(l.url);
      assert.equal(anon.status, 401);
      const meta = /resource_metadata="([^"]+)"/.exec(anon.headers.get('www-authenticate') ?? '')?.[1];
      assert.ok(meta, 'WWW-Authenticate names the metadata document');
      assert.equal((await fetch(meta!)).status, 200, 'and the listener serves it');
      assert.equal((await post(l.url, { authorization: 'Bearer fzt_nope' })).status, 401);
      assert.equal((await fetch(`${l.url}/api/ops/apps.list`, { headers: { authorization: `Bearer ${owner}` } })).status, 404, 'only MCP paths');
      const client = await connect(`${l.url}/mcp`, { token: owner });
      try {
        const r = await client.callTool({ name: 'apps_list', arguments: {} });
        assert.ok((r.structuredContent as { apps: { slug: string }[] }).apps.some((a) => a.slug === 'offline'));
      } finally {
        await client.close();
      }
    } finally {
      await l.stop();
      tmp.cleanup();
    }
  });

  it('with a server running on the data dir: forwards, and the server checks each client token', async () => {
    const l = await startListener(['--data', server.dataDir]);
    try {
      assert.match(l.out(), /through the running server/);
      assert.equal((await post(l.url)).status, 401);
      const client = await connect(`${l.url}/mcp`, { token: reader });
      try {
        const names = (await client.listTools()).tools.map((t) => t.name);
        assert.ok(names.includes('apps_list'));
        assert.ok(!names.includes('apps_delete'), 'the client acts with its own, narrower token');
      } finally {
        await client.close();
      }
    } finally {
      await l.stop();
    }
  });

  it('--server URL --token T bridges: every request acts as T', async () => {
    const l = await startListener(['--server', server.url, '--token', reader]);
    try {
      assert.match(l.out(), /bridging to/);
      const client = await connect(`${l.url}/mcp`);
      try {
        const names = (await client.listTools()).tools.map((t) => t.name);
        assert.ok(names.includes('apps_list') && !names.includes('apps_delete'));
        const r = await client.callTool({ name: 'server_info', arguments: {} });
        assert.equal((r.structuredContent as { caller: { name: string } }).caller.name, 'listener-reader');
      } finally {
        await client.close();
      }
      // Legacy SSE goes through the bridge too (the stream and the message posts).
      const sse = await connect(`${l.url}/sse`, { sse: true });
      try {
        assert.ok((await sse.listTools()).tools.some((t) => t.name === 'apps_list'));
      } finally {
        await sse.close();
      }
    } finally {
      await l.stop();
    }
  });

  it('refuses --token without --server, and --server without a token', async () => {
    const t = tempDir();
    try {
      const r = await runCli(['mcp', 'start', '--port', '0', '--token', reader], { dataDir: t.dir });
      assert.equal(r.code, 2);
      assert.match(r.stderr, /--token is only for bridging/);
      const s = await runCli(['mcp', 'start', '--port', '0', '--server', server.url], { dataDir: t.dir });
      assert.equal(s.code, 3);
      assert.match(s.stderr, /--server needs --token/);
    } finally {
      t.cleanup();
    }
  });

  it('a bridge to a server that is down answers 502 with a JSON-RPC error', async () => {
    const l = await startListener(['--server', 'http://127.0.0.1:9', '--token', reader]);
    try {
      const r = await post(l.url);
      assert.equal(r.status, 502);
      assert.match(((await r.json()) as { error: { message: string } }).error.message, /did not answer/);
    } finally {
      await l.stop();
    }
  });
});
