import { createSecureServer, type Http2SecureServer } from 'node:http2';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { SecureContext } from 'node:tls';
import type { Kernel } from '../kernel/kernel.js';
import { createRequestHandler } from '../surfaces/http/server.js';
import { adaptHttp2 } from './h2-compat.js';
import type { SniCache } from './sni-cache.js';

const openSockets = new WeakMap<Http2SecureServer, Set<Socket>>();

/**
 * The HTTPS front door: HTTP/1.1 and HTTP/2 (ALPN) with the certificate chosen
 * per host by SNI, feeding the very same request handler as plain HTTP.
 */
export function createHttpsServer(
  kernel: Kernel,
  sni: SniCache,
  defaults: { cert: string; key: string },
  onDemand?: (servername: string) => Promise<SecureContext | undefined>,
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
  server.setTimeout(300_000);
  const sockets = new Set<Socket>();
  server.on('secureConnection', (s: Socket) => (sockets.add(s), s.once('close', () => sockets.delete(s))));
  openSockets.set(server, sockets);
  return server;
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
