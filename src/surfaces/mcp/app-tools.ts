import type { Tool } from '@modelcontextprotocol/server';
import type { Kernel } from '../../kernel/kernel.js';
import type { Caller } from '../../kernel/ops/define.js';
import { mayUseWriteTools } from '../../runtime/tool-access.js';
import { toOpError } from '../../kernel/ops/errors.js';
import { toolError, type McpCallContext, type ToolOutcome } from './catalog.js';
import { okResult } from './op-tools.js';

/** What `apps.tools.list` reports for one tool an app registered. */
export interface AppTool {
  name: string;
  description?: string;
  inputSchema?: Record<string, unknown>;
  readOnly?: boolean;
  destructive?: boolean;
}

/** Whether a caller may only see an app's read-only tools: the rule apps.tools.call enforces. */
export function readOnlyFor(caller: Caller, appId: string): boolean {
  return !mayUseWriteTools(caller.caps, appId);
}

/** Annotated like an op's risk: read if declared readOnly, destructive only if declared so, else an ordinary write. */
export function appToolDef(t: AppTool, name: string, appSlug: string): Tool {
  const readOnly = !!t.readOnly;
  return {
    name,
    description: t.description ?? `Tool ${t.name} of app ${appSlug}.`,
    inputSchema: { type: 'object', ...(t.inputSchema ?? {}) } as Tool['inputSchema'],
    annotations: { readOnlyHint: readOnly, destructiveHint: !readOnly && t.destructive === true, openWorldHint: false },
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
