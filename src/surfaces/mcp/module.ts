import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Kernel, RouteInfo } from '../../kernel/kernel.js';
import type { KernelModule } from '../../kernel/module.js';
import { OpError, toOpError } from '../../kernel/ops/errors.js';
import { authenticate, wwwAuthenticate } from '../http/authenticate.js';
import { closeIfBodyUnread } from '../http/body.js';
import { McpEndpoint, type Target } from './endpoint.js';
import { originAllowed, sendRpcError } from './http-util.js';
import { appRegistrations } from './app-registrations.js';
import { kernelToolMap } from './kernel-catalog.js';
import { appTarget, kernelTarget } from './targets.js';

export interface McpService {
  endpoint: McpEndpoint;
  /** The node handler for /mcp, /mcp/apps/<slug>, /sse, /messages (reused by `fazt mcp start --port`). */
  handle(req: IncomingMessage, res: ServerResponse, route: RouteInfo): Promise<boolean>;
}

declare module '../../kernel/services.js' {
  interface Services {
    mcp: McpService;
  }
}

export const DEFAULT_MAX_MESSAGE_BYTES = 4 * 1024 * 1024;

/** Which MCP surface a path names, if any. */
function match(route: RouteInfo): { kind: 'mcp' | 'sse' | 'messages'; app?: string } | undefined {
  const p = route.url.pathname.replace(/\/+$/, '') || '/';
  if (route.hostKind === 'app') return p === '/mcp' && route.slug ? { kind: 'mcp', app: route.slug } : undefined;
  if (p === '/mcp') return { kind: 'mcp' };
  const m = /^\/mcp\/apps\/([a-z0-9-]{1,63})$/.exec(p);
  if (m) return { kind: 'mcp', app: m[1] };
  if (p === '/sse') return { kind: 'sse' };
  if (p === '/messages') return { kind: 'messages' };
  return undefined;
}

export function mcpHttpHandler(kernel: Kernel, endpoint: McpEndpoint) {
  return async function handleMcp(req: IncomingMessage, res: ServerResponse, route: RouteInfo): Promise<boolean> {
    const m = match(route);
    if (!m) return false;
    const started = Date.now();
    let appId: string | null = null;
    res.once('finish', () =>
      kernel.requests.emit({
        appId, slug: m.app ?? route.slug, kind: 'mcp', method: req.method ?? 'GET',
        path: route.url.pathname, status: res.statusCode, durationMs: Date.now() - started, bytes: Number(res.getHeader('content-length') ?? 0), requestId: route.requestId,
      }),
    );
    if (!originAllowed(req.headers.origin, kernel.config.domain)) {
      closeIfBodyUnread(req, res);
      sendRpcError(res, 403, -32000, `Forbidden: requests from origin ${req.headers.origin} are not allowed (DNS rebinding protection).`);
      return true;
    }
    let target: Target;
    try {
      target = m.app ? appTarget(kernel, req, m.app) : kernelTarget(kernel, authenticate(kernel, req), route.url.searchParams.get('tools'));
      if (target.key.startsWith('app:')) appId = target.key.slice(4);
    } catch (err) {
      if (m.app) appId = kernel.services.apps.find(m.app)?.id ?? null;
      const e = toOpError(err);
      closeIfBodyUnread(req, res);
      if (e.code === 'UNAUTHENTICATED') sendRpcError(res, 401, -32001, `Unauthorized: ${e.message}`, { 'www-authenticate': wwwAuthenticate(req, 'invalid_token') });
      else if (e.code === 'FORBIDDEN') {
        const scope = ((e.details?.required as string[] | undefined) ?? []).join(' ');
        sendRpcError(res, 403, -32003, `Forbidden: ${e.message}`, { 'www-authenticate': `${wwwAuthenticate(req, 'insufficient_scope')}, scope="${scope}"` });
      } else sendRpcError(res, e.code === 'NOT_FOUND' ? 404 : 500, -32000, e.message);
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

/** Signature of an app's tool list, to tell a redeploy that changed tools from one that did not. */
function toolSignature(kernel: Kernel, appId: string): string {
  try {
    return JSON.stringify(appRegistrations(kernel).of(appId).tools);
  } catch {
    return '';
  }
}

export const mcpModule: KernelModule = {
  name: 'mcp',
  init(kernel) {
    // Every op must make a valid tool name: fail start-up, not the client's tool list.
    kernelToolMap(kernel);
    // Subscribed before start() so its cache is dropped before the list_changed check below reads it.
    appRegistrations(kernel);
    const max = Number(kernel.config.extra['mcp.maxMessageBytes'] ?? DEFAULT_MAX_MESSAGE_BYTES);
    if (!Number.isFinite(max) || max <= 0) throw new OpError('BAD_INPUT', 'mcp.maxMessageBytes must be a positive number of bytes.');
    const endpoint = new McpEndpoint({ maxMessageBytes: max, rateCheck: (caller) => kernel.rateLimiter.check(caller) });
    const handle = mcpHttpHandler(kernel, endpoint);
    kernel.services.mcp = { endpoint, handle };
    kernel.useHttp(30, handle, (r) => {
      const p = r.url.pathname;
      return p.startsWith('/mcp') || p.startsWith('/sse') || p.startsWith('/messages');
    });
  },
  start(kernel) {
    const { endpoint } = kernel.services.mcp;
    const signatures = new Map<string, string>();
    const changed = (e: { type: string; data: unknown }) => {
      const { id } = (e.data ?? {}) as { id?: string };
      if (!id) return;
      if (e.type !== 'system.app.deleted') endpoint.resourceUpdated(`fazt://apps/${id}`);
      const sig = e.type === 'system.app.deleted' ? '[]' : toolSignature(kernel, id);
      if (signatures.get(id) === sig) return;
      signatures.set(id, sig);
      endpoint.toolsChanged((key, caller) => key === `app:${id}` || (key === 'kernel' && caller?.kind === 'owner'));
    };
    for (const type of ['system.app.deployed', 'system.app.rolledback', 'system.app.deleted']) kernel.events.on(type, changed);
    kernel.events.on('system.pulse.beat', () => endpoint.resourceUpdated('fazt://pulse/status'));
  },
  async stop(kernel) {
    await kernel.services.mcp?.endpoint.close();
  },
};
