import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { RouteInfo } from '../../kernel/kernel.js';
import { classifyHost } from '../http/host.js';
import { conformanceCatalog } from './conformance-fixture.js';
import { McpEndpoint } from './endpoint.js';
import { originAllowed, sendRpcError } from './http-util.js';

type RouteHandler = (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse, route: RouteInfo) => Promise<boolean>;

/** A node:http server for MCP alone, in front of the same handler the main server mounts. */
export function mcpListener(handle: RouteHandler, domain: string, defaultToken?: string): Server {
  return createServer(async (req, res) => {
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://x');
    } catch {
      return sendRpcError(res, 400, -32600, 'Malformed request URL.');
    }
    // `--token T`: clients that cannot set headers act as that token.
    if (defaultToken && !req.headers.authorization) req.headers.authorization = `Bearer ${defaultToken}`;
    const route: RouteInfo = { url, requestId: randomUUID(), ...classifyHost(req.headers.host, domain) };
    try {
      if (!(await handle(req, res, route))) sendRpcError(res, 404, -32000, `Nothing at ${url.pathname}: the MCP endpoint is /mcp.`);
    } catch (err) {
      sendRpcError(res, 500, -32603, (err as Error).message);
    }
  });
}

/**
 * Conformance fixture mode: the suite's fixtures, no authentication, loopback
 * only. Same McpEndpoint and server factory as production.
 */
export function conformanceListener(): { server: Server; endpoint: McpEndpoint } {
  const endpoint = new McpEndpoint({ maxMessageBytes: 4 * 1024 * 1024 });
  const target = { key: 'fixture', principal: 'fixture', makeCatalog: () => conformanceCatalog() };
  const server = createServer(async (req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (!originAllowed(req.headers.origin, 'localhost')) return sendRpcError(res, 403, -32000, 'Forbidden origin.');
    try {
      if (path === '/mcp') return await endpoint.handle(req, res, target);
      sendRpcError(res, 404, -32000, 'The MCP endpoint is /mcp.');
    } catch (err) {
      sendRpcError(res, 500, -32603, (err as Error).message);
    }
  });
  return { server, endpoint };
}
