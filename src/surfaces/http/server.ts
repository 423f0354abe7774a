import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { Kernel, RouteInfo } from '../../kernel/kernel.js';
import { classifyHost } from './host.js';
import { sendError, sendJson } from './respond.js';

/**
 * The HTTP front door. It only classifies the request and hands it to the
 * handlers modules registered (API, MCP, app runtime, static files) in order.
 */
export function createHttpServer(kernel: Kernel): Server {
  const server = createServer(async (req, res) => {
    const requestId = randomUUID();
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://x');
    } catch {
      return sendJson(res, 400, { error: { code: 'BAD_INPUT', message: 'Malformed request URL.' } });
    }
    const route: RouteInfo = { url, requestId, ...classifyHost(req.headers.host, kernel.config.domain) };
    try {
      for (const handler of kernel.http) if (await handler(req, res, route)) return;
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

/** Stops accepting, lets in-flight requests finish (up to `graceMs`), then closes idle sockets. */
export function closeHttpServer(server: Server, graceMs = 10_000): Promise<void> {
  return new Promise((resolve) => {
    const force = setTimeout(() => server.closeAllConnections(), graceMs);
    force.unref();
    server.close(() => (clearTimeout(force), resolve()));
    server.closeIdleConnections();
  });
}
