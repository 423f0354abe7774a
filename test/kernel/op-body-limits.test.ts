import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { startServer, type TestServer } from '../helpers/server.js';

interface RawReply {
  head: string;
  status: number;
  /** The server closed the connection (we never finished sending). */
  closed: boolean;
  /** Body bytes we had written when the answer arrived. */
  sent: number;
}

/**
 * Sends request headers announcing `declared` body bytes, then body bytes in 64 KiB
 * writes (up to `send` of them) until the server answers, and reports whether the
 * server then closed the connection without waiting for the rest.
 */
function rawPost(s: TestServer, path: string, opts: { token?: string; declared?: number; chunked?: boolean; send: number }): Promise<RawReply> {
  const u = new URL(s.url);
  return new Promise((resolve, reject) => {
    const sock: Socket = connect(Number(u.port), u.hostname);
    let head = '';
    let sent = 0;
    let answered = false;
    let sentAtAnswer = 0;
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    sock.on('error', () => {}); // a reset after the answer is the expected outcome
    sock.on('connect', () => {
      const lines = [`POST ${path} HTTP/1.1`, `Host: ${u.host}`, 'Content-Type: application/json'];
      if (opts.token) lines.push(`Authorization: Bearer ${opts.token}`);
      lines.push(opts.chunked ? 'Transfer-Encoding: chunked' : `Content-Length: ${opts.declared}`);
      sock.write(lines.join('\r\n') + '\r\n\r\n');
      const pump = () => {
        while (!answered && !sock.destroyed && sent < opts.send) {
          sent += chunk.length;
          const ok = opts.chunked ? sock.write(`${chunk.length.toString(16)}\r\n`) && sock.write(chunk) && sock.write('\r\n') : sock.write(chunk);
          if (!ok) return void sock.once('drain', pump);
        }
      };
      pump();
    });
    sock.on('data', (d) => {
      if (!answered) sentAtAnswer = sent;
      answered = true;
      head += d.toString('latin1');
    });
    sock.on('close', () => {
      const m = /^HTTP\/1\.1 (\d{3})/.exec(head);
      if (!m) return reject(new Error(`no answer before the connection closed (sent ${sent} bytes)`));
      resolve({ head, status: Number(m[1]), closed: true, sent: sentAtAnswer });
    });
  });
}

const MiB = 1024 * 1024;

describe('HTTP API: request bodies are read only for a known op, as its caller, up to its limit', () => {
  let s: TestServer;
  before(async () => (s = await startServer()));
  after(() => s.close());

  // Each of these announces 50 MB and would send it all: the server must answer and
  // hang up without waiting for it (the test's timeout is the failure mode).
  it('refuses a big body without a token with 401 and closes the connection', { timeout: 30_000 }, async () => {
    const r = await rawPost(s, '/api/ops/apps.list', { declared: 50_000_000, send: 50_000_000 });
    assert.equal(r.status, 401);
    assert.match(r.head, /connection: close/i);
    assert.ok(r.sent < 50_000_000);
  });

  it('refuses a big body with a bad token with 401 and closes the connection', { timeout: 30_000 }, async () => {
    const r = await rawPost(s, '/api/ops/apps.list', { token: 'fzt_nope_nope', declared: 50_000_000, send: 50_000_000 });
    assert.equal(r.status, 401);
    assert.match(r.head, /connection: close/i);
  });

  it('refuses a big body for an unknown op with 404 and closes the connection', { timeout: 30_000 }, async () => {
    const r = await rawPost(s, '/api/ops/apps.explode', { token: s.token, declared: 50_000_000, send: 50_000_000 });
    assert.equal(r.status, 404);
    assert.match(r.head, /connection: close/i);
  });

  it('limits ops other than deploy to 1 MiB: a declared 2 MiB body is refused with 413 naming the limit', { timeout: 30_000 }, async () => {
    const r = await rawPost(s, '/api/ops/apps.list', { token: s.token, declared: 2 * MiB, send: 2 * MiB });
    assert.equal(r.status, 413);
    assert.match(r.head, /connection: close/i);
    assert.match(r.head, /apps\.list accepts at most 1048576 bytes/);
  });

  it('stops reading a chunked body past the op limit, answers 413 and closes the connection', { timeout: 30_000 }, async () => {
    const r = await rawPost(s, '/api/ops/apps.list', { token: s.token, chunked: true, send: 50_000_000 });
    assert.equal(r.status, 413);
    assert.match(r.head, /connection: close/i);
    assert.ok(r.sent < 50_000_000);
  });

  it('MCP: refuses a big message without a token with 401 and closes the connection', { timeout: 30_000 }, async () => {
    const r = await rawPost(s, '/mcp', { declared: 50_000_000, send: 50_000_000 });
    assert.equal(r.status, 401);
    assert.match(r.head, /connection: close/i);
  });

  it('refuses a JSON body nested deeper than http.maxJsonDepth with a 400, and stores nothing', async () => {
    await s.op('apps.create', { name: 'deep' });
    const value = JSON.parse('['.repeat(70) + ']'.repeat(70));
    const r = await s.op('storage.kv.set', { app: 'deep', key: 'k', value });
    assert.equal(r.status, 400, JSON.stringify(r.body));
    assert.match(r.body.error.message, /nested deeper than 64 levels/);
    assert.equal((await s.op('storage.kv.get', { app: 'deep', key: 'k' })).body.found, false);
  });

  it('caps GET query parameters at http.maxFormFields', async () => {
    const q = (n: number) => Array.from({ length: n }, (_, i) => `x${i}=1`).join('&');
    const get = (n: number) => fetch(`${s.url}/api/ops/server.info?${q(n)}`, { headers: { authorization: `Bearer ${s.token}` } });
    const bad = await get(1001);
    assert.equal(bad.status, 400);
    assert.match(((await bad.json()) as any).error.message, /query string has more than 1000 fields/);
  });

  it('accepts a deploy above 1 MiB (deploys are limited by --max-upload)', async () => {
    const big = 'x'.repeat(3 * MiB);
    const r = await s.op('deploy', { app: 'bigsite', files: [{ path: 'index.html', content: 'hi' }, { path: 'big.txt', content: big }] });
    assert.equal(r.status, 200, JSON.stringify(r.body).slice(0, 300));
    assert.equal(r.body.fileCount, 2);
  });

  it('accepts a storage value as large as storage.maxValueBytes allows', async () => {
    await s.op('apps.create', { name: 'kvbig' });
    const value = 'v'.repeat(MiB - 100);
    const r = await s.op('storage.kv.set', { app: 'kvbig', key: 'k', value });
    assert.equal(r.status, 200, JSON.stringify(r.body).slice(0, 300));
  });
});
