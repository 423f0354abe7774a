import type { Tool } from '@modelcontextprotocol/server';
import { holds } from '../../auth/capabilities.js';
import type { Kernel } from '../../kernel/kernel.js';
import type { Caller } from '../../kernel/ops/define.js';
import { toOpError } from '../../kernel/ops/errors.js';
import { toolError, type McpCallContext, type ToolOutcome } from './catalog.js';
import { okResult } from './op-tools.js';
import { TOOL_NAME_RE, toolNameFor } from './tool-names.js';

/** What `apps.tools.list` reports for one tool an app registered. */
export interface AppTool {
  name: string;
  description?: string;
  inputSchema?: Record<string, unknown>;
  readOnly?: boolean;
}

/** Whether a caller may only use an app's read-only tools (`app:<id>:read` without `app:<id>:*`). */
export function readOnlyFor(caller: Caller, appId: string): boolean {
  return !holds(caller.caps, `app:${appId}:write`) && !holds(caller.caps, `app:${appId}:call`);
}

/** The app's tools, through the `apps.tools.list` op (empty when the runtime offers none). */
export async function listAppTools(kernel: Kernel, caller: Caller, appId: string, call?: McpCallContext): Promise<AppTool[]> {
  if (!kernel.registry.get('apps.tools.list')) return [];
  const r = await kernel.invoke(caller, 'apps.tools.list', { app: appId }, { surface: 'mcp', session: call && { id: call.sessionId, client: call.client } });
  return r.status === 'ok' ? ((r.output as { tools?: AppTool[] }).tools ?? []) : [];
}

export function appToolDef(t: AppTool, name: string, appSlug: string): Tool {
  const readOnly = !!t.readOnly;
  return {
    name,
    description: t.description ?? `Tool ${t.name} of app ${appSlug}.`,
    inputSchema: { type: 'object', ...(t.inputSchema ?? {}) } as Tool['inputSchema'],
    annotations: { readOnlyHint: readOnly, destructiveHint: !readOnly, openWorldHint: false },
  };
}

/** Runs an app tool through the `apps.tools.call` op. */
export async function invokeAppTool(kernel: Kernel, caller: Caller, appId: string, tool: string, args: unknown, call: McpCallContext): Promise<ToolOutcome> {
  try {
    const r = await kernel.invoke(caller, 'apps.tools.call', { app: appId, tool, args: args ?? {} }, {
      surface: 'mcp', session: { id: call.sessionId, client: call.client }, signal: call.ctx.mcpReq.signal,
    });
    if (r.status !== 'ok') return toolError('HALTED', `Halt ${r.halt.haltId}: ${r.halt.reason}`);
    const out = (r.output as { result?: unknown }).result;
    return okResult(out);
  } catch (err) {
    const e = toOpError(err);
    return toolError(e.code, e.message);
  }
}

async function ownerApps(kernel: Kernel, caller: Caller): Promise<{ id: string; slug: string }[]> {
  if (caller.kind !== 'owner' || !kernel.registry.get('apps.tools.list')) return [];
  const r = await kernel.invoke(caller, 'apps.list', {}, { surface: 'mcp' });
  return r.status === 'ok' ? (r.output as { apps: { id: string; slug: string }[] }).apps : [];
}

/** On the kernel endpoint the owner also sees every app's tools as `<slug>_<tool>`. */
export async function appToolsFor(kernel: Kernel, caller: Caller, taken: Set<string>): Promise<Tool[]> {
  const out: Tool[] = [];
  for (const app of await ownerApps(kernel, caller)) {
    let tools: AppTool[] = [];
    try {
      tools = await listAppTools(kernel, caller, app.id);
    } catch {
      continue;
    }
    for (const t of tools) {
      const name = `${app.slug}_${toolNameFor(t.name)}`;
      if (!TOOL_NAME_RE.test(name) || taken.has(name)) continue;
      out.push(appToolDef(t, name, app.slug));
    }
  }
  return out;
}

/** Resolves `<slug>_<tool>` for the owner; undefined when the name is no app tool. */
export async function callAppTool(kernel: Kernel, caller: Caller, name: string, args: unknown, call: McpCallContext): Promise<ToolOutcome | undefined> {
  for (const app of await ownerApps(kernel, caller)) {
    if (!name.startsWith(app.slug + '_')) continue;
    const tool = name.slice(app.slug.length + 1);
    const tools = await listAppTools(kernel, caller, app.id).catch(() => []);
    const t = tools.find((x) => toolNameFor(x.name) === tool);
    if (t) return invokeAppTool(kernel, caller, app.id, t.name, args, call);
  }
  return undefined;
}
