import { bodyLimitsFromConfig } from '../http/body-limits.js';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Kernel, RouteInfo } from '../../kernel/kernel.js';
import type { KernelModule } from '../../kernel/module.js';
import { OpError } from '../../kernel/ops/errors.js';
import type { EndpointOptions, McpEndpoint } from './endpoint.js';
import { appRegistrations } from './app-registrations.js';
import { matchMcpRoute } from './mcp-route.js';
import { sessionLimitsFromConfig } from './session-limits.js';
import { toolNameMap } from './tool-names.js';

export interface McpService {
  /** The endpoint, once MCP has been loaded (by its first request, or `ready()`); throws before. */
  readonly endpoint: McpEndpoint;
  /** Loads the MCP SDK and the endpoint now rather than on the first MCP request. */
  ready(): Promise<McpEndpoint>;
  /** The node handler for /mcp, /mcp/apps/<slug>, /sse, /messages (reused by `fazt mcp start --port`). */
  handle(req: IncomingMessage, res: ServerResponse, route: RouteInfo): Promise<boolean>;
}

declare module '../../kernel/services.js' {
  interface Services {
    mcp: McpService;
  }
}

export const DEFAULT_MAX_MESSAGE_BYTES = 4 * 1024 * 1024;

/** Signature of an app's tool list, to tell a redeploy that changed tools from one that did not. */
function toolSignature(kernel: Kernel, appId: string): string {
  try {
    return JSON.stringify(appRegistrations(kernel).of(appId).tools);
  } catch {
    return '';
  }
}

/**
 * The MCP SDK and everything built on it (about 15 MB of a server's idle
 * memory) are loaded by the first MCP request, not at start: a server that
 * only hosts sites never pays for them.
 */
function lazyMcp(kernel: Kernel, opts: EndpointOptions): McpService {
  let loaded: { endpoint: McpEndpoint; handle: McpService['handle'] } | undefined;
  let loading: Promise<NonNullable<typeof loaded>> | undefined;
  const load = () =>
    (loading ??= (async () => {
      const [{ McpEndpoint }, { mcpHttpHandler }] = await Promise.all([import('./endpoint.js'), import('./http-handler.js')]);
      const endpoint = new McpEndpoint(opts);
      return (loaded = { endpoint, handle: mcpHttpHandler(kernel, endpoint) });
    })());
  return {
    get endpoint() {
      if (!loaded) throw new Error('MCP is not loaded yet: await kernel.services.mcp.ready() first.');
      return loaded.endpoint;
    },
    ready: async () => (await load()).endpoint,
    async handle(req, res, route) {
      if (!matchMcpRoute(route)) return false;
      return (loaded ?? (await load())).handle(req, res, route);
    },
  };
}

/** The loaded endpoint, if any: before the first MCP request there are no sessions to notify. */
function loadedEndpoint(kernel: Kernel): McpEndpoint | undefined {
  try {
    return kernel.services.mcp?.endpoint;
  } catch {
    return undefined;
  }
}

export const mcpModule: KernelModule = {
  name: 'mcp',
  init(kernel) {
    // Every op must make a valid tool name: fail start-up, not the client's tool list.
    toolNameMap(kernel.registry.list());
    // Subscribed before start() so its cache is dropped before the list_changed check below reads it.
    appRegistrations(kernel);
    const max = Number(kernel.config.extra['mcp.maxMessageBytes'] ?? DEFAULT_MAX_MESSAGE_BYTES);
    if (!Number.isFinite(max) || max <= 0) throw new OpError('BAD_INPUT', 'mcp.maxMessageBytes must be a positive number of bytes.');
    const sessions = sessionLimitsFromConfig(kernel.config.extra);
    const mcp = lazyMcp(kernel, { maxMessageBytes: max, maxJsonDepth: bodyLimitsFromConfig(kernel.config.extra).maxJsonDepth, rateCheck: (caller) => kernel.rateLimiter.check(caller), sessions });
    kernel.services.mcp = mcp;
    kernel.useHttp(30, mcp.handle, (r) => {
      const p = r.path;
      return p.startsWith('/mcp') || p.startsWith('/sse') || p.startsWith('/messages');
    });
  },
  start(kernel) {
    const signatures = new Map<string, string>();
    const changed = (e: { type: string; data: unknown }) => {
      const { id } = (e.data ?? {}) as { id?: string };
      if (!id) return;
      const endpoint = loadedEndpoint(kernel);
      if (e.type !== 'system.app.deleted') endpoint?.resourceUpdated(`fazt://apps/${id}`);
      const sig = e.type === 'system.app.deleted' ? '[]' : toolSignature(kernel, id);
      if (signatures.get(id) === sig) return;
      signatures.set(id, sig);
      endpoint?.toolsChanged((key, caller) => key === `app:${id}` || (key === 'kernel' && caller?.kind === 'owner'));
    };
    for (const type of ['system.app.deployed', 'system.app.rolledback', 'system.app.deleted']) kernel.events.on(type, changed);
    kernel.events.on('system.pulse.beat', () => loadedEndpoint(kernel)?.resourceUpdated('fazt://pulse/status'));
  },
  async stop(kernel) {
    await loadedEndpoint(kernel)?.close();
  },
};
