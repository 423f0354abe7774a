import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Kernel, RouteInfo } from '../../kernel/kernel.js';
import { classifyHost } from './host.js';
import { sendError, sendJson } from './respond.js';

/**
 * The HTTP front door. It only classifies the request and hands it to the
 * handlers modules registered (API, MCP, app runtime, static files) in order.
 */
export function createHttpServer(kernel: Kernel): Server {
  // Request ids: unique per process start plus a counter — as unique as a UUID for
  // log correlation, without drawing random bytes on every request.
  const idPrefix = randomBytes(6).toString('hex');
  let seq = 0;
  const server = createServer(async (req, res) => {
    const requestId = `${idPrefix}-${(++seq).toString(36)}`;
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://x');
    } catch {
      return sendJson(res, 400, { error: { code: 'BAD_INPUT', message: 'Malformed request URL.' } });
    }
    const route: RouteInfo = { url, requestId, ...classifyHost(req.headers.host, kernel.config.domain) };
    try {
      if (await dispatch(kernel, req, res, route)) return;
      sendJson(res, 404, { error: { code: 'NOT_FOUND', message: `Nothing at ${url.pathname}.` } });
    } catch (err) {
      sendError(res, err);
    }
  });
  server.keepAliveTimeout = 5_000;
  server.headersTimeout = 30_000;
  server.requestTimeout = 300_000;
  return server;
}

/** Offers the request to each module's handler in order; true when one answered. */
export async function dispatch(kernel: Kernel, req: IncomingMessage, res: ServerResponse, route: RouteInfo): Promise<boolean> {
  for (const { handler, accepts } of kernel.http) {
    if (accepts !== undefined && !accepts(route)) continue;
    // Only wait when a handler returned a promise.
    const r = handler(req, res, route);
    if (r === true || (r !== false && (await r))) return true;
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
