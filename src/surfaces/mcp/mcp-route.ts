import type { RouteInfo } from '../../kernel/kernel.js';

export interface McpRoute {
  kind: 'mcp' | 'sse' | 'messages';
  app?: string;
}

/** Which MCP surface a path names, if any. */
export function matchMcpRoute(route: RouteInfo): McpRoute | undefined {
  const p = route.path.replace(/\/+$/, '') || '/';
  if (route.hostKind === 'app') return p === '/mcp' && route.slug ? { kind: 'mcp', app: route.slug } : undefined;
  if (p === '/mcp') return { kind: 'mcp' };
  const m = /^\/mcp\/apps\/([a-z0-9-]{1,63})$/.exec(p);
  if (m) return { kind: 'mcp', app: m[1] };
  if (p === '/sse') return { kind: 'sse' };
  if (p === '/messages') return { kind: 'messages' };
  return undefined;
}
