import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Kernel, RouteInfo } from '../../kernel/kernel.js';
import { toOpError } from '../../kernel/ops/errors.js';
import { recordAuthFailure } from '../http/auth-failure.js';
import { authenticate, wwwAuthenticate } from '../http/authenticate.js';
import { closeIfBodyUnread } from '../http/body.js';
import type { McpEndpoint, Target } from './endpoint.js';
import { originAllowed, sendRpcError } from './http-util.js';
import { matchMcpRoute } from './mcp-route.js';
import { appTarget, kernelTarget } from './targets.js';

/** /mcp, /mcp/apps/<slug>, /sse and /messages: resolves who asks (the Target) and hands the request to the endpoint. */
export function mcpHttpHandler(kernel: Kernel, endpoint: McpEndpoint) {
  return async function handleMcp(req: IncomingMessage, res: ServerResponse, route: RouteInfo): Promise<boolean> {
    const m = matchMcpRoute(route);
    if (!m) return false;
    const started = Date.now();
    let appId: string | null = null;
    res.once('finish', () =>
      kernel.requests.emit({
        appId, slug: m.app ?? route.slug, kind: 'mcp', method: req.method ?? 'GET',
        path: route.path, status: res.statusCode, durationMs: Date.now() - started, bytes: Number(res.getHeader('content-length') ?? 0), requestId: route.requestId,
      }),
    );
    if (!originAllowed(req.headers.origin, kernel.config.domain)) {
      closeIfBodyUnread(req, res);
      sendRpcError(res, 403, -32000, `Forbidden: requests from origin ${req.headers.origin} are not allowed (DNS rebinding protection).`);
      return true;
    }
    let target: Target;
    try {
      target = m.app ? appTarget(kernel, req, m.app) : kernelTarget(kernel, authenticate(kernel, req, '/mcp'), route.url.searchParams.get('tools'));
      if (target.key.startsWith('app:')) appId = target.key.slice(4);
    } catch (err) {
      if (m.app) appId = kernel.services.apps.find(m.app)?.id ?? null;
      const e = toOpError(err);
      closeIfBodyUnread(req, res);
      recordAuthFailure(kernel, req, e, { op: m.app ? `mcp.${m.app}` : 'mcp', surface: 'mcp', requestId: route.requestId });
      const resource = m.app && route.hostKind === 'kernel' ? `/mcp/apps/${m.app}` : undefined;
      if (e.code === 'UNAUTHENTICATED') sendRpcError(res, 401, -32001, `Unauthorized: ${e.message}`, { 'www-authenticate': wwwAuthenticate(req, 'invalid_token', kernel, resource) });
      else if (e.code === 'FORBIDDEN') {
        const scope = ((e.details?.required as string[] | undefined) ?? []).join(' ');
        sendRpcError(res, 403, -32003, `Forbidden: ${e.message}`, { 'www-authenticate': `${wwwAuthenticate(req, 'insufficient_scope', kernel, resource)}, scope="${scope}"` });
      } else if (e.code === 'BAD_INPUT') sendRpcError(res, 400, -32602, e.message);
      else sendRpcError(res, e.code === 'NOT_FOUND' ? 404 : 500, -32000, e.message);
      return true;
    }
    try {
      if (m.kind === 'mcp') await endpoint.handle(req, res, target);
      else if (m.kind === 'sse') {
        if (req.method !== 'GET') sendRpcError(res, 405, -32000, 'Open the SSE stream with GET.', { allow: 'GET' });
        else await endpoint.handleSse(req, res, target, '/messages');
      } else {
        const sid = route.url.searchParams.get('sessionId');
        if (req.method !== 'POST' || !sid) sendRpcError(res, 400, -32000, 'POST messages to /messages?sessionId=<id> from the SSE endpoint event.');
        else await endpoint.handleSseMessage(req, res, target, sid);
      }
    } catch (err) {
      sendRpcError(res, 500, -32603, `Internal error: ${(err as Error).message}`);
    }
    return true;
  };
}
