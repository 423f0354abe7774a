import { ProtocolError, ProtocolErrorCode } from '@modelcontextprotocol/server';
import type { Kernel } from '../../kernel/kernel.js';
import type { AnyOp, Caller } from '../../kernel/ops/define.js';
import { INPUT_REQUIRED, OpError, toOpError } from '../../kernel/ops/errors.js';
import { toolError, type McpCallContext, type McpCatalog, type ToolOutcome } from './catalog.js';
import { inputRequiredFor, makeConfirm, makeShowHalt } from './confirm.js';
import { makeSample, makeTextProgress } from './sampling.js';
import { appRegistrations } from './app-registrations.js';
import { invokeAppTool } from './app-tools.js';
import { haltedResult, okResult } from './op-tools.js';
import { kernelPrompts } from './prompts.js';
import { kernelResources } from './kernel-resources.js';
import { kernelToolList } from './tool-lists.js';
import { inGroups, toolNameMap } from './tool-names.js';
import { kernelTaskBackend } from './tasks/kernel-backend.js';

const maps = new WeakMap<Kernel, Map<string, AnyOp>>();

/** Tool name → op for a kernel, checked once: a bad or colliding name stops start-up. */
export function kernelToolMap(kernel: Kernel): Map<string, AnyOp> {
  let m = maps.get(kernel);
  if (!m) maps.set(kernel, (m = toolNameMap(kernel.registry.list())));
  return m;
}

export interface KernelCatalogOptions {
  /** Op-name prefix groups (`?tools=apps,deploy`); absent = every tool the token allows. */
  groups?: string[];
}

/** mcp.kernel: one tool per op, resources and prompts backed by ops, all through kernel.invoke. */
export function kernelCatalog(kernel: Kernel, caller: () => Caller, opts: KernelCatalogOptions = {}): McpCatalog {
  const tools = kernelToolMap(kernel);
  const resources = kernelResources(kernel, caller);
  const prompts = kernelPrompts(kernel, caller);

  return {
    name: 'fazt',
    instructions:
      'fazt is a personal cloud: apps (static sites and serverless APIs), deploys, storage, logs and health. ' +
      'Every tool takes explicit ids (app id or slug); use apps_list to find them. Destructive tools ask the user to confirm or wait for the owner\'s approval (halt_status).',
    listTools: () => kernelToolList(kernel, tools, caller(), opts.groups),
    tasks: kernelTaskBackend(kernel, caller, tools, opts.groups),
    async callTool(name, args, call) {
      const op = tools.get(name);
      if (!op || op.humanOnly || !inGroups(op.name, opts.groups)) {
        // The owner reaches app tools as <slug>_<tool>; the call itself is the audited apps.tools.call op.
        const c = caller();
        const app = opts.groups || c.kind !== 'owner' ? undefined : appRegistrations(kernel).findOwnerTool(name, new Set(tools.keys()));
        if (app) return invokeAppTool(kernel, c, app.app.id, app.tool.name, args, call);
        throw new ProtocolError(ProtocolErrorCode.InvalidParams, `Unknown tool '${name}'. Call tools/list to see the tools this token may use.`);
      }
      return invokeAsTool(kernel, caller(), op.name, name, args, call);
    },
    listResources: () => resources.list(),
    listTemplates: () => resources.templates(),
    readResource: (uri, call) => resources.read(uri, call),
    listPrompts: () => prompts.list(),
    getPrompt: (name, args, call) => prompts.get(name, args, call),
    async complete(_ref, arg) {
      const values = resources.completeAppRef(arg.value);
      return { values: values.slice(0, 100), total: values.length, hasMore: values.length > 100 };
    },
  };
}

/** Runs an op for a tool call and maps every outcome to a tool result. */
export async function invokeAsTool(kernel: Kernel, caller: Caller, opName: string, tool: string, args: unknown, call: McpCallContext): Promise<ToolOutcome> {
  try {
    const r = await kernel.invoke(caller, opName, args, {
      surface: 'mcp',
      session: { id: call.sessionId, client: call.client },
      signal: call.ctx.mcpReq.signal,
      confirm: makeConfirm(call, tool, args),
      showHalt: makeShowHalt(kernel, call),
      sample: makeSample(call),
      onText: makeTextProgress(call),
    });
    return r.status === 'halted' ? haltedResult(r.halt) : okResult(r.output);
  } catch (err) {
    const e = toOpError(err);
    if (e.code === INPUT_REQUIRED) return inputRequiredFor(e as OpError, tool, args, call.ctx);
    return toolError(e.code, e.message);
  }
}
