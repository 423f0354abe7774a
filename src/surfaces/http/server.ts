import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Kernel, RouteInfo } from '../../kernel/kernel.js';
import { HostCache } from './host.js';
import { plainPathname, Route } from './route.js';
import { identityHeaderGuard } from './trusted-proxy.js';
import { sendError, sendJson } from './respond.js';

/**
 * The HTTP front door. It only classifies the request and hands it to the
 * handlers modules registered (API, MCP, app runtime, static files) in order.
 */
export function createHttpServer(kernel: Kernel): Server {
  const server = createServer(createRequestHandler(kernel));
  server.keepAliveTimeout = 5_000;
  server.headersTimeout = 30_000;
  server.requestTimeout = 300_000;
  return server;
}

/** The one request handler: the HTTP server and the HTTPS listener both feed it. */
export function createRequestHandler(kernel: Kernel): (req: IncomingMessage, res: ServerResponse) => void {
  // Request ids: unique per process start plus a counter — as unique as a UUID for
  // log correlation, without drawing random bytes on every request.
  const idPrefix = randomBytes(6).toString('hex');
  let seq = 0;
  const hosts = new HostCache(kernel.config.domain, () => kernel.services.domains);
  const guardIdentity = identityHeaderGuard(kernel.config.trustedProxies);
  return (req, res) => {
    guardIdentity(req);
    const target = req.url ?? '/';
    let path = plainPathname(target);
    let url: URL | undefined;
    if (path === undefined) {
      try {
        url = new URL(target, 'http://x');
      } catch {
        return sendJson(res, 400, { error: { code: 'BAD_INPUT', message: 'Malformed request URL.' } });
      }
      path = url.pathname;
    }
    const host = hosts.classify(req.headers.host);
    const route = new Route(target, path, host.hostKind, host.slug, idPrefix, ++seq, url);
    let handled: boolean | Promise<boolean>;
    try {
      handled = dispatch(kernel, req, res, route);
    } catch (err) {
      return sendError(res, err);
    }
    // A hot static hit is answered without a single promise.
    if (handled === false) nothing(res, route.path);
    else if (handled !== true) handled.then((ok) => ok || nothing(res, route.path), (err) => sendError(res, err));
  };
}

function nothing(res: ServerResponse, path: string): void {
  sendJson(res, 404, { error: { code: 'NOT_FOUND', message: `Nothing at ${path}.` } });
}

/**
 * Offers the request to each handler of its host kind's chain in order; true
 * when one answered. Stays synchronous until a handler returns a promise.
 */
export function dispatch(
  kernel: Kernel, req: IncomingMessage, res: ServerResponse, route: RouteInfo, from = 0, chain = kernel.httpFor(route.hostKind),
): boolean | Promise<boolean> {
  for (let i = from; i < chain.length; i++) {
    const { handler, accepts } = chain[i];
    if (accepts !== undefined && !accepts(route)) continue;
    const r = handler(req, res, route);
    if (r === true) return true;
    if (r !== false) return r.then((ok) => ok || dispatch(kernel, req, res, route, i + 1, chain));
  }
  return false;
}

/** Stops accepting, lets in-flight requests finish (up to `graceMs`), then closes idle sockets. */
export function closeHttpServer(server: Server, graceMs = 10_000): Promise<void> {
  return new Promise((resolve) => {
    const force = setTimeout(() => server.closeAllConnections(), graceMs);
    force.unref();
    server.close(() => (clearTimeout(force), resolve()));
    server.closeIdleConnections();
  });
}
