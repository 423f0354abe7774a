import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Kernel, RouteInfo } from '../../kernel/kernel.js';
import { classifyHost } from '../http/host.js';
import { dispatch } from '../http/server.js';
import { conformanceCatalog } from './conformance-fixture.js';
import { checkedHandle, needsParamCheck } from './conformance-headers.js';
import { verifyFixtureState } from './conformance-input-required.js';
import { McpEndpoint } from './endpoint.js';
import { forwardRequest } from './forward.js';
import { originAllowed, sendRpcError } from './http-util.js';
import { DEFAULT_SESSION_LIMITS } from './session-limits.js';

/** What a standalone MCP port answers: the MCP endpoints and the metadata a client needs to authenticate. */
const SERVED = /^\/(?:mcp(?:\/apps\/[a-z0-9-]{1,63})?|sse|messages|\.well-known\/oauth-protected-resource(?:\/.*)?|\.well-known\/oauth-authorization-server|authorize|token|register|revoke)\/?$/;

function parseUrl(req: IncomingMessage, res: ServerResponse): URL | undefined {
  try {
    const url = new URL(req.url ?? '/', 'http://x');
    if (SERVED.test(url.pathname)) return url;
    sendRpcError(res, 404, -32000, `Nothing at ${url.pathname}: the MCP endpoint is /mcp.`);
  } catch {
    sendRpcError(res, 400, -32600, 'Malformed request URL.');
  }
  return undefined;
}

/**
 * A node:http server for MCP alone over an in-process kernel: the same
 * handlers the main server mounts, so clients authenticate exactly as on
 * its /mcp (Authorization: Bearer, 401 pointing at the metadata document).
 */
export function mcpListener(kernel: Kernel): Server {
  return createServer(async (req, res) => {
    const url = parseUrl(req, res);
    if (!url) return;
    const route: RouteInfo = { url, path: url.pathname, requestId: randomUUID(), ...classifyHost(req.headers.host, kernel.config.domain) };
    try {
      if (await dispatch(kernel, req, res, route)) return;
      sendRpcError(res, 404, -32000, `Nothing at ${url.pathname}: the MCP endpoint is /mcp.`);
    } catch (err) {
      sendRpcError(res, 500, -32603, (err as Error).message);
    }
  });
}

/**
 * A standalone MCP port in front of a running fazt server. Without `token`
 * the client's own Authorization goes through (the server checks it); with
 * one (bridging to a remote server) every request carries that token.
 */
export function mcpForwardListener(upstream: string, token?: string): Server {
  const base = new URL(upstream);
  return createServer((req, res) => {
    const url = parseUrl(req, res);
    if (url) forwardRequest(req, res, base, url.pathname + url.search, token);
  });
}

/**
 * Conformance fixture mode: the suite's fixtures, no authentication, loopback
 * only. Same McpEndpoint and server factory as production.
 */
export function conformanceListener(): { server: Server; endpoint: McpEndpoint } {
  // The suite opens a session per scenario from one address: room for all of them.
  const endpoint = new McpEndpoint({ maxMessageBytes: 4 * 1024 * 1024, sessions: { ...DEFAULT_SESSION_LIMITS, perCaller: 1000, publicPerEndpoint: 1000 } });
  const target = { key: 'fixture', principal: 'fixture', makeCatalog: () => conformanceCatalog({ toolsChanged: () => endpoint.toolsChanged(() => true), promptsChanged: () => endpoint.promptsChanged() }), verifyState: verifyFixtureState };
  const server = createServer(async (req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (!originAllowed(req.headers.origin, 'localhost')) return sendRpcError(res, 403, -32000, 'Forbidden origin.');
    try {
      if (path === '/mcp' && needsParamCheck(req)) return await checkedHandle(endpoint, req, res, target, 4 * 1024 * 1024);
      if (path === '/mcp') return await endpoint.handle(req, res, target);
      sendRpcError(res, 404, -32000, 'The MCP endpoint is /mcp.');
    } catch (err) {
      sendRpcError(res, 500, -32603, (err as Error).message);
    }
  });
  return { server, endpoint };
}
