import type { Kernel } from '../../../kernel/kernel.js';
import type { AnyOp, Caller } from '../../../kernel/ops/define.js';
import { toOpError } from '../../../kernel/ops/errors.js';
import { TERMINAL, type TaskView } from '../../../tasks/task-types.js';
import { toolError, type McpCallContext } from '../catalog.js';
import { okResult } from '../op-tools.js';
import { inGroups } from '../tool-names.js';
import { DEFAULT_POLL_MS, type McpTask, type McpTaskBackend } from './wire.js';

/** Failures of the machinery rather than of the op: MCP reports these as failed tasks, the rest as tool errors. */
const PROTOCOL_FAILURES = new Set(['INTERRUPTED', 'INTERNAL']);

/** A kernel task as MCP shows it. */
export function mcpTaskOf(t: TaskView): McpTask {
  const base: McpTask = {
    taskId: t.id,
    status: t.status === 'canceled' ? 'cancelled' : t.status === 'failed' && !PROTOCOL_FAILURES.has(t.error?.code ?? '') ? 'completed' : t.status,
    createdAt: t.createdAt,
    lastUpdatedAt: t.updatedAt,
    ttlMs: Math.max(1, Date.parse(t.expiresAt) - Date.parse(t.createdAt)),
    pollIntervalMs: DEFAULT_POLL_MS,
  };
  const progress = t.progress ? `${t.progress.message ?? 'working'}: ${t.progress.done}/${t.progress.total}` : undefined;
  const statusMessage = t.statusMessage ?? (t.status === 'working' ? progress : undefined);
  if (statusMessage) base.statusMessage = statusMessage;
  if (t.status === 'completed') base.result = okResult(t.result);
  else if (t.status === 'failed' && base.status === 'completed') base.result = toolError(t.error?.code ?? 'FAILED', t.error?.message ?? 'The task failed.');
  else if (t.status === 'failed') base.error = { code: -32603, message: `${t.error?.code ?? 'INTERNAL'}: ${t.error?.message ?? 'The task failed.'}` };
  else if (t.status === 'input_required' && t.haltId) base.inputRequests = { [t.haltId]: approvalRequest(t) };
  return base;
}

/** A halted task asks the owner through the approval link (URL elicitation), or says how to decide on the server. */
function approvalRequest(t: TaskView): unknown {
  const message = t.statusMessage ?? `Waiting for the owner to decide halt ${t.haltId}.`;
  const link = t.approvalLinks.find((l) => /approve/i.test(l.label)) ?? t.approvalLinks[0];
  if (link) return { method: 'elicitation/create', params: { mode: 'url', message, url: link.url, elicitationId: t.haltId } };
  return { method: 'elicitation/create', params: { mode: 'form', message: `${message} The owner decides with 'fazt halt approve ${t.haltId}'.`, requestedSchema: { type: 'object', properties: {} } } };
}

/** Long-running ops as MCP tasks, stored by the kernel's task service (they survive restarts). */
export function kernelTaskBackend(kernel: Kernel, caller: () => Caller, tools: Map<string, AnyOp>, groups?: string[]): McpTaskBackend {
  const tasks = () => kernel.services.tasks;
  const find = (id: string): TaskView | undefined => {
    try {
      return tasks().get(caller(), id);
    } catch {
      return undefined;
    }
  };
  return {
    support(tool) {
      const op = tools.get(tool);
      return op && op.longRunning && !op.humanOnly && inGroups(op.name, groups) ? 'optional' : undefined;
    },
    taskTools(): string[] {
      return [...tools].filter(([, op]) => op.longRunning && !op.humanOnly && inGroups(op.name, groups)).map(([name]) => name);
    },
    async start(tool, args, call: McpCallContext, opts) {
      const op = tools.get(tool)!;
      try {
        const t = await tasks().start(caller(), op.name, args, { surface: 'mcp', session: { id: call.sessionId, client: call.client }, ttlMs: opts.ttlMs });
        return mcpTaskOf(t);
      } catch (err) {
        const e = toOpError(err);
        return toolError(e.code, e.message);
      }
    },
    get: (id) => {
      const t = find(id);
      return t && mcpTaskOf(t);
    },
    list: () => tasks().list(caller()).map(mcpTaskOf),
    async wait(id, _call, signal) {
      for (;;) {
        const t = await tasks().result(caller(), id, 30_000).catch(() => undefined);
        if (!t || TERMINAL.has(t.status) || signal?.aborted) return t && mcpTaskOf(t);
      }
    },
    async cancel(id) {
      if (!find(id)) return undefined;
      return mcpTaskOf(await tasks().cancel(caller(), id));
    },
    // The owner decides a halt (approval link or CLI); answers from the model change nothing.
    update: (id) => find(id) !== undefined,
    watch(_call, listener) {
      const mine = new Map<string, boolean>();
      return tasks().watch((c) => {
        if (!mine.has(c.task.id)) mine.set(c.task.id, find(c.task.id) !== undefined);
        if (!mine.get(c.task.id)) return;
        listener({ task: mcpTaskOf(c.task), ...(c.kind === 'progress' && c.task.progress ? { progress: c.task.progress } : {}) });
      });
    },
  };
}
