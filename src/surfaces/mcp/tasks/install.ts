import {
  CLIENT_CAPABILITIES_META_KEY,
  MissingRequiredClientCapabilityError,
  ProtocolError,
  ProtocolErrorCode,
  RELATED_TASK_META_KEY,
  Server,
  type JSONRPCRequest,
  type Result,
  type ServerContext,
} from '@modelcontextprotocol/server';
import { z } from 'zod';
import type { McpCallContext, ToolOutcome } from '../catalog.js';
import { detailed2026, isTask, isTerminal, task2025, task2026, TASKS_EXTENSION, type McpTask, type McpTaskBackend } from './wire.js';

const CREATED = Symbol('task created');

/** Carries a CreateTaskResult past the SDK's tools/call result check, which knows only CallToolResult. */
class TaskCreated extends Error {
  constructor(readonly result: Result) {
    super('task created');
  }
}

/**
 * The SDK server with one addition: a tools/call may answer with a task
 * (2025 `{task}` or 2026 `resultType: "task"`), which the SDK carries as wire
 * vocabulary but does not produce itself.
 */
export class TaskAwareServer extends Server {
  protected override _wrapHandler(method: string, handler: (request: JSONRPCRequest, ctx: ServerContext) => Promise<Result>) {
    if (method !== 'tools/call') return super._wrapHandler(method, handler);
    const inner = super._wrapHandler(method, async (req, ctx) => {
      const r = await handler(req, ctx);
      if ((r as Record<symbol, unknown>)[CREATED]) throw new TaskCreated(r);
      return r;
    });
    return async (req: JSONRPCRequest, ctx: ServerContext) => {
      try {
        return await inner(req, ctx);
      } catch (err) {
        if (err instanceof TaskCreated) {
          const { [CREATED]: _mark, ...rest } = err.result as Record<string | symbol, unknown>;
          return rest as Result;
        }
        throw err;
      }
    };
  }
}

export function isModern(server: Server): boolean {
  return (server.getNegotiatedProtocolVersion() ?? '') >= '2026';
}

/** Did the client declare the tasks extension, for the session or on this request? */
export function declaresTasks(server: Server, ctx: ServerContext, params?: { _meta?: Record<string, unknown> }): boolean {
  const perRequest = (params?._meta?.[CLIENT_CAPABILITIES_META_KEY] ?? (ctx.mcpReq.envelope as Record<string, unknown> | undefined)?.[CLIENT_CAPABILITIES_META_KEY]) as
    | { extensions?: Record<string, unknown> }
    | undefined;
  const session = server.getClientCapabilities() as { extensions?: Record<string, unknown> } | undefined;
  return perRequest?.extensions?.[TASKS_EXTENSION] !== undefined || session?.extensions?.[TASKS_EXTENSION] !== undefined;
}

const missingExtension = () =>
  new MissingRequiredClientCapabilityError({ requiredCapabilities: { extensions: { [TASKS_EXTENSION]: {} } } as never }, `This needs the ${TASKS_EXTENSION} extension: declare it in the client's capabilities.`);

const unknownTask = (id: string) => new ProtocolError(ProtocolErrorCode.InvalidParams, `No task '${id}': it finished and expired, belongs to someone else, or never existed.`, { taskId: id });

/**
 * Decides whether a tools/call runs as a task and, if so, starts it and shapes the
 * CreateTaskResult for the era; undefined means "run it directly".
 */
export async function maybeStartTask(
  backend: McpTaskBackend,
  server: Server,
  params: { name: string; arguments?: Record<string, unknown>; task?: { ttl?: number }; _meta?: Record<string, unknown> },
  call: McpCallContext,
  onCreated: (t: McpTask) => void,
): Promise<Result | undefined> {
  const support = backend.support(params.name, call);
  const modern = isModern(server);
  if (!support) {
    // 2026 tolerates a leftover `task` hint; 2025 says plainly that this tool answers directly.
    if (modern || params.task === undefined) return undefined;
    const names = backend.taskTools(call);
    throw new ProtocolError(ProtocolErrorCode.MethodNotFound, `Tool '${params.name}' does not run as a task: call it without the task parameter. Tools that run as tasks: ${names.join(', ') || '(none)'}.`, { taskTools: names });
  }
  // 2026: the server decides, for clients that declared the extension. 2025: the client asks with `task`.
  const asTask = modern ? declaresTasks(server, call.ctx, params) : params.task !== undefined;
  if (!asTask) {
    if (support !== 'required') return undefined;
    if (modern) throw missingExtension();
    throw new ProtocolError(ProtocolErrorCode.MethodNotFound, `Tool '${params.name}' runs only as a task: call it with the task parameter.`);
  }
  const out = await backend.start(params.name, params.arguments ?? {}, call, { ttlMs: params.task?.ttl });
  if (!isTask(out)) return out as ToolOutcome as Result;
  onCreated(out);
  const body = modern ? { resultType: 'task', ...task2026(out) } : { task: task2025(out) };
  return Object.assign(body, { [CREATED]: true }) as Result;
}

/** tasks/get, tasks/result, tasks/list, tasks/cancel, tasks/update on a server, per era. */
export function installTaskHandlers(server: Server, backend: McpTaskBackend, call: (ctx: ServerContext) => McpCallContext): void {
  const gate = (ctx: ServerContext, params: { _meta?: Record<string, unknown> }) => {
    if (isModern(server) && !declaresTasks(server, ctx, params)) throw missingExtension();
  };
  const byId = z.looseObject({ taskId: z.string(), _meta: z.record(z.string(), z.unknown()).optional() });
  const find = (id: string, ctx: ServerContext): McpTask => {
    const t = backend.get(id, call(ctx));
    if (!t) throw unknownTask(id);
    return t;
  };

  server.setRequestHandler('tasks/get' as never, { params: byId }, async (p: z.infer<typeof byId>, ctx: ServerContext) => {
    gate(ctx, p);
    const t = find(p.taskId, ctx);
    return (isModern(server) ? detailed2026(t) : task2025(t)) as Result;
  });
  server.setRequestHandler('tasks/cancel' as never, { params: byId }, async (p: z.infer<typeof byId>, ctx: ServerContext) => {
    gate(ctx, p);
    find(p.taskId, ctx);
    const t = (await backend.cancel(p.taskId, call(ctx))) ?? find(p.taskId, ctx);
    // 2026 acknowledges with an empty result; 2025 returns the task.
    return (isModern(server) ? {} : task2025(t)) as Result;
  });
  // The SDK lifts `inputResponses` off the params into ctx.mcpReq; the gate comes before any check of the params.
  server.setRequestHandler('tasks/update' as never, { params: z.looseObject({}) }, async (p: Record<string, unknown>, ctx: ServerContext) => {
    if (!isModern(server)) throw new ProtocolError(ProtocolErrorCode.MethodNotFound, 'Method not found');
    gate(ctx, p as { _meta?: Record<string, unknown> });
    const taskId = p.taskId;
    if (typeof taskId !== 'string') throw new ProtocolError(ProtocolErrorCode.InvalidParams, 'tasks/update needs params.taskId (a string).');
    const responses = (p.inputResponses ?? ctx.mcpReq.inputResponses ?? {}) as Record<string, unknown>;
    if (typeof responses !== 'object' || Array.isArray(responses)) throw new ProtocolError(ProtocolErrorCode.InvalidParams, 'tasks/update needs params.inputResponses (an object keyed by request id).');
    if (!backend.update(taskId, responses, call(ctx))) throw unknownTask(taskId);
    return {} as Result;
  });
  // 2025 only: the SDK answers both with "method not found" on 2026 requests.
  server.setRequestHandler('tasks/result' as never, { params: byId }, async (p: z.infer<typeof byId>, ctx: ServerContext) => {
    find(p.taskId, ctx);
    const t = await backend.wait(p.taskId, call(ctx), ctx.mcpReq.signal);
    if (!t) throw unknownTask(p.taskId);
    const related = { [RELATED_TASK_META_KEY]: { taskId: t.taskId } };
    if (t.status === 'completed' && t.result) return { ...t.result, _meta: { ...(t.result._meta ?? {}), ...related } } as Result;
    if (t.status === 'cancelled') throw new ProtocolError(ProtocolErrorCode.InvalidRequest, `Task ${t.taskId} was cancelled: it has no result.`, { taskId: t.taskId });
    throw new ProtocolError(t.error?.code ?? ProtocolErrorCode.InternalError, t.error?.message ?? `Task ${t.taskId} failed.`, t.error?.data ?? { taskId: t.taskId });
  });
  server.setRequestHandler('tasks/list' as never, { params: z.looseObject({ cursor: z.string().optional() }) }, async (_p: unknown, ctx: ServerContext) => ({
    tasks: backend.list(call(ctx)).map(task2025),
  }) as Result);
}

/** 2025 sessions hear `notifications/tasks/status` and progress for tasks they started. */
export function notifyTaskChanges(server: Server, backend: McpTaskBackend, call: McpCallContext, task: McpTask, progressToken?: string | number): void {
  if (isModern(server) || !backend.watch) return;
  const off = backend.watch(call, (c) => {
    if (c.task.taskId !== task.taskId) return;
    const send = (n: { method: string; params: Record<string, unknown> }) => server.notification(n as never).catch(() => off());
    if (c.progress && progressToken !== undefined) {
      void send({ method: 'notifications/progress', params: { progressToken, progress: c.progress.done, total: c.progress.total, ...(c.progress.message ? { message: c.progress.message } : {}) } });
    }
    if (!c.progress) void send({ method: 'notifications/tasks/status', params: task2025(c.task) });
    if (isTerminal(c.task.status)) off();
  });
  const prev = server.onclose;
  server.onclose = () => {
    off();
    prev?.();
  };
}
