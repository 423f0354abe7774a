import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { connect as h2connect } from 'node:http2';
import type { Http2SecureServer } from 'node:http2';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';
import { promisify } from 'node:util';
import { closeHttps, createHttpsServer, listenHttps } from '../../src/ssl/https-listener.js';
import { SniCache } from '../../src/ssl/sni-cache.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { tempDir } from '../helpers/temp.js';

const run = promisify(execFile);
const IDLE = 400;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Idle HTTPS connections are timed out as server.setTimeout would, HTTP/1.1 by a sweep. */
describe('HTTPS idle timeout', () => {
  let s: TestServer;
  let https: Http2SecureServer;
  let port: number;
  let ca: string;
  const dir = tempDir('fazt-idle-');

  before(async () => {
    await run('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', join(dir.dir, 'k.pem'), '-out', join(dir.dir, 'c.pem'), '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost', '-days', '2']);
    ca = readFileSync(join(dir.dir, 'c.pem'), 'utf8');
    s = await startServer();
    // A response far bigger than the socket buffers, for a client that stops reading.
    const big = Buffer.alloc(64 * 1024 * 1024, 'x');
    s.kernel.useHttp(-1, (_req, res) => (res.writeHead(200, { 'content-length': big.length }), res.end(big), true), (r) => r.path === '/big');
    https = createHttpsServer(s.kernel, new SniCache(), { cert: ca, key: readFileSync(join(dir.dir, 'k.pem'), 'utf8') }, undefined, IDLE);
    port = await listenHttps(https, 0, '127.0.0.1');
  });
  after(async () => {
    await closeHttps(https, 100);
    await s?.close();
    dir.cleanup();
  });

  const open = async (): Promise<TLSSocket> => {
    const sock = tlsConnect({ host: '127.0.0.1', port, servername: 'localhost', ca, ALPNProtocols: ['http/1.1'] });
    await once(sock, 'secureConnect');
    return sock;
  };
  const ask = async (sock: TLSSocket, path = '/api/health'): Promise<string> => {
    sock.write(`GET ${path} HTTP/1.1\r\nHost: localhost\r\n\r\n`);
    const [chunk] = await once(sock, 'data');
    return String(chunk);
  };

  it('closes an HTTP/1.1 keep-alive connection that stays idle', async () => {
    const sock = await open();
    assert.match(await ask(sock), /^HTTP\/1\.1 200/);
    const t0 = Date.now();
    await once(sock, 'close');
    const waited = Date.now() - t0;
    assert.ok(waited >= IDLE * 0.9 && waited < IDLE * 5, `closed after ${waited} ms`);
  });

  it('keeps a connection that keeps talking', async () => {
    const sock = await open();
    let closed = false;
    sock.once('close', () => (closed = true));
    for (let i = 0; i < 8; i++) {
      assert.match(await ask(sock), /^HTTP\/1\.1 200/);
      await sleep(IDLE / 3);
    }
    assert.equal(closed, false, 'a busy connection is not timed out');
    sock.destroy();
  });

  it('times out a client that stops reading a response', async () => {
    const sock = await open();
    sock.write('GET /big HTTP/1.1\r\nHost: localhost\r\n\r\n');
    sock.pause();
    // A paused client does not see the close: watch the server's side.
    const connections = () => new Promise<number>((res, rej) => https.getConnections((err, n) => (err ? rej(err) : res(n))));
    await sleep(IDLE / 2);
    assert.equal(await connections(), 1, 'the response is under way');
    const t0 = Date.now();
    while ((await connections()) > 0) {
      assert.ok(Date.now() - t0 < IDLE * 10, 'the stalled connection was closed');
      await sleep(20);
    }
    sock.destroy();
  });

  it('closes an idle HTTP/2 session', async () => {
    const session = h2connect(`https://localhost:${port}`, { ca });
    const req = session.request({ ':path': '/api/health' });
    req.resume();
    await once(req, 'end');
    const t0 = Date.now();
    await once(session, 'close');
    const waited = Date.now() - t0;
    assert.ok(waited >= IDLE * 0.9 && waited < IDLE * 5, `closed after ${waited} ms`);
  });
});
