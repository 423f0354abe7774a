import { createSecureServer, type Http2SecureServer } from 'node:http2';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { SecureContext, TLSSocket } from 'node:tls';
import type { Kernel } from '../kernel/kernel.js';
import { createRequestHandler } from '../surfaces/http/server.js';
import { adaptHttp2 } from './h2-compat.js';
import type { SniCache } from './sni-cache.js';

const openSockets = new WeakMap<Http2SecureServer, Set<TLSSocket>>();

/** An HTTPS connection (HTTP/2 session or HTTP/1.1 socket) that moves no bytes for this long is timed out. */
export const HTTPS_IDLE_MS = 300_000;

/**
 * The HTTPS front door: HTTP/1.1 and HTTP/2 (ALPN) with the certificate chosen
 * per host by SNI, feeding the very same request handler as plain HTTP.
 */
export function createHttpsServer(
  kernel: Kernel,
  sni: SniCache,
  defaults: { cert: string; key: string },
  onDemand?: (servername: string) => Promise<SecureContext | undefined>,
  idleMs = HTTPS_IDLE_MS,
): Http2SecureServer {
  const handle = createRequestHandler(kernel);
  const server = createSecureServer({
    allowHTTP1: true,
    cert: defaults.cert,
    key: defaults.key,
    SNICallback: (name, cb) => {
      const known = sni.lookup(name);
      if (known || !onDemand) return cb(null, known ?? sni.contextFor(undefined));
      onDemand(name).then(
        (ctx) => cb(null, ctx ?? sni.contextFor(undefined)),
        () => cb(null, sni.contextFor(undefined)),
      );
    },
  });
  server.on('request', (req, res) => {
    if (req.httpVersionMajor === 2) adaptHttp2(req, res);
    handle(req as unknown as IncomingMessage, res as unknown as ServerResponse);
  });
  // Idle timeouts as server.setTimeout(idleMs) would give them, without its per-socket
  // timer for HTTP/1.1 (re-armed on every read and write, a cost on every request).
  // HTTP/2 sessions keep their own timer, handled as node's server handles it.
  server.on('session', (session) =>
    session.setTimeout(idleMs, () => {
      if (!session.destroyed && !session.closed && !server.emit('timeout', session)) session.destroy();
    }),
  );
  const sockets = new Set<TLSSocket>();
  server.on('secureConnection', (s: TLSSocket) => (sockets.add(s), s.once('close', () => sockets.delete(s))));
  openSockets.set(server, sockets);
  const stopSweep = sweepIdleSockets(sockets, idleMs);
  server.once('close', stopSweep);
  return server;
}

/**
 * Times out HTTP/1.1 connections that moved no bytes for `idleMs`: a sweep every
 * idleMs/30 (at most 10 s) notes each socket's byte counts, and a socket whose
 * counts stood still for `idleMs` gets the 'timeout' event a socket timeout would
 * emit, once until it moves again. Node's HTTP server then closes it, unless the
 * request, the response or the server handles the event.
 */
export function sweepIdleSockets(sockets: ReadonlySet<TLSSocket>, idleMs: number): () => void {
  const seen = new WeakMap<TLSSocket, { bytes: number; since: number; fired: boolean }>();
  const timer = setInterval(
    () => {
      const now = performance.now();
      for (const s of sockets) {
        if (s.alpnProtocol === 'h2' || s.destroyed) continue;
        const bytes = moved(s);
        const st = seen.get(s);
        if (st === undefined) seen.set(s, { bytes, since: now, fired: false });
        else if (st.bytes !== bytes) (st.bytes = bytes), (st.since = now), (st.fired = false);
        else if (!st.fired && now - st.since >= idleMs) (st.fired = true), s.emit('timeout');
      }
    },
    Math.max(10, Math.min(Math.floor(idleMs / 30), 10_000)),
  );
  timer.unref();
  return () => clearInterval(timer);
}

/**
 * Bytes read plus bytes handed to the connection. Writes still buffered (a peer
 * that stopped reading) do not count, as they do not re-arm a socket timeout.
 */
function moved(s: TLSSocket): number {
  return s.bytesRead + (s.bytesWritten ?? 0) - s.writableLength;
}

export function listenHttps(server: Http2SecureServer, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const a = server.address();
      resolve(typeof a === 'object' && a ? a.port : port);
    });
  });
}

/** Stops accepting; open sessions get `graceMs` to finish before they are cut. */
export function closeHttps(server: Http2SecureServer, graceMs = 5_000): Promise<void> {
  return new Promise((resolve) => {
    const force = setTimeout(() => {
      for (const s of openSockets.get(server) ?? []) s.destroy();
    }, graceMs);
    force.unref();
    server.close(() => (clearTimeout(force), resolve()));
  });
}
