import {
  CLIENT_INFO_META_KEY,
  isInputRequiredResult,
  ProtocolError,
  ProtocolErrorCode,
  type Server,
  type ServerContext,
} from '@modelcontextprotocol/server';
import { FAZT_VERSION } from '../../kernel/server-ops.js';
import type { McpCallContext, McpCatalog } from './catalog.js';
import { installTaskHandlers, maybeStartTask, notifyTaskChanges, TaskAwareServer } from './tasks/install.js';
import { TASKS_EXTENSION } from './tasks/wire.js';

/** Resource URIs one connection subscribed to (2025 `resources/subscribe`). */
export type SubscriptionSet = Set<string>;

export interface ServerOptions {
  catalog: McpCatalog;
  /** Transport session id, when the transport has one. */
  sessionId?: () => string | undefined;
  /** Present on connections that can receive `notifications/resources/updated`. */
  subscriptions?: SubscriptionSet;
  /** Verifies multi-round-trip state (the kernel catalog's confirmation codec). */
  verifyState?: (state: string, ctx: ServerContext) => unknown | Promise<unknown>;
}

/**
 * Builds one low-level SDK server over a catalog. It is cheap (no schema work:
 * catalogs cache their lists), because in the 2026 era and the stateless 2025
 * leg the SDK asks for one per HTTP request.
 */
export function buildServer(opts: ServerOptions): Server {
  const { catalog } = opts;
  const server: Server = new TaskAwareServer(
    { name: catalog.name, version: FAZT_VERSION },
    {
      capabilities: {
        tools: { listChanged: true },
        resources: { subscribe: true, listChanged: true },
        prompts: { listChanged: true },
        completions: {},
        ...(catalog.logging ? { logging: {} } : {}),
        // 2025-11-25 announces tasks here; 2026-07-28 as an extension (the SDK drops `tasks` on that era).
        ...(catalog.tasks ? { tasks: { list: {}, cancel: {}, requests: { tools: { call: {} } } }, extensions: { [TASKS_EXTENSION]: {} } } : {}),
      } as never,
      ...(catalog.instructions ? { instructions: catalog.instructions } : {}),
      ...(opts.verifyState ? { requestState: { verify: opts.verifyState } } : {}),
    },
  );
  const call = (ctx: ServerContext): McpCallContext => ({ ctx, server, sessionId: ctx.sessionId ?? opts.sessionId?.(), client: clientName(server, ctx) });

  server.setRequestHandler('tools/list', async (_req, ctx) => ({ tools: await catalog.listTools(call(ctx)) }));
  server.setRequestHandler('tools/call', async (req, ctx) => {
    const args = req.params.arguments ?? {};
    if (catalog.tasks) {
      const c = call(ctx);
      const progressToken = ctx.mcpReq._meta?.progressToken;
      const created = await maybeStartTask(catalog.tasks, server, req.params as never, c, (t) => notifyTaskChanges(server, catalog.tasks!, c, t, progressToken));
      if (created) return created as never;
    }
    const result = await catalog.callTool(req.params.name, args as Record<string, unknown>, call(ctx));
    return isInputRequiredResult(result) ? result : server.projectCallToolResult(result, undefined);
  });
  server.setRequestHandler('resources/list', async (_req, ctx) => ({ resources: await catalog.listResources(call(ctx)) }));
  server.setRequestHandler('resources/templates/list', async (_req, ctx) => ({ resourceTemplates: await catalog.listTemplates(call(ctx)) }));
  server.setRequestHandler('resources/read', async (req, ctx) => catalog.readResource(req.params.uri, call(ctx)));
  server.setRequestHandler('prompts/list', async (_req, ctx) => ({ prompts: await catalog.listPrompts(call(ctx)) }));
  server.setRequestHandler('prompts/get', async (req, ctx) => catalog.getPrompt(req.params.name, req.params.arguments ?? {}, call(ctx)));
  server.setRequestHandler('completion/complete', async (req, ctx) => ({
    completion: await catalog.complete(req.params.ref as { type: string; name?: string; uri?: string }, req.params.argument, call(ctx)),
  }));
  server.setRequestHandler('resources/subscribe', async (req) => {
    if (!opts.subscriptions) throw new ProtocolError(ProtocolErrorCode.InvalidRequest, 'Subscriptions need a session: connect with a session or use subscriptions/listen.');
    opts.subscriptions.add(req.params.uri);
    return {};
  });
  server.setRequestHandler('resources/unsubscribe', async (req) => {
    opts.subscriptions?.delete(req.params.uri);
    return {};
  });
  if (catalog.tasks) installTaskHandlers(server, catalog.tasks, call);
  return server;
}

function clientName(server: Server, ctx: ServerContext): string | undefined {
  const fromEnvelope = (ctx.mcpReq.envelope as Record<string, unknown> | undefined)?.[CLIENT_INFO_META_KEY] as { name?: string; version?: string } | undefined;
  // getClientVersion is the 2025 handshake's value; 2026 requests carry it per request.
  const info = fromEnvelope ?? server.getClientVersion();
  return info?.name ? `${info.name}${info.version ? ' ' + info.version : ''}` : undefined;
}
