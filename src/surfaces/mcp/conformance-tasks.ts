import { randomUUID } from 'node:crypto';
import { inputRequired, inputResponse, ProtocolErrorCode, type CallToolResult, type Tool } from '@modelcontextprotocol/server';
import type { McpCallContext, ToolOutcome } from './catalog.js';
import { DEFAULT_POLL_MS, isTerminal, type McpTask, type McpTaskBackend, type McpTaskChange, type TaskSupport } from './tasks/wire.js';

/**
 * The tasks fixtures of the conformance suite (`greet`, `slow_compute`, …),
 * kept in memory: the fixture has no kernel. Shared by every server the
 * endpoint builds, since 2026 requests each get a fresh one.
 */
const text = (t: string): CallToolResult => ({ content: [{ type: 'text', text: t }] });
const TTL_MS = 10 * 60_000;

interface Entry {
  task: McpTask;
  ac: AbortController;
  /** Open questions and the answers that close them. */
  answers: Map<string, (v: unknown) => void>;
  done: Promise<void>;
}

type Job = (args: Record<string, unknown>, job: JobContext) => Promise<CallToolResult>;
interface JobContext {
  signal: AbortSignal;
  /** Parks the task in input_required until every request is answered; returns the answers by key. */
  ask(requests: Record<string, unknown>): Promise<Record<string, unknown>>;
}

class Canceled extends Error {}
class ProtocolFailure extends Error {
  constructor(readonly code: number, message: string) {
    super(message);
  }
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (signal.aborted) return reject(new Canceled());
    const t = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(t), reject(new Canceled())), { once: true });
  });

const elicit = (message: string, properties: Record<string, unknown>) => ({
  method: 'elicitation/create',
  params: { mode: 'form', message, requestedSchema: { type: 'object', properties } },
});

const JOBS: Record<string, { support: TaskSupport; def: Tool; job: Job }> = {
  slow_compute: {
    support: 'optional',
    def: { name: 'slow_compute', description: 'Sleeps `seconds` seconds, then answers; runs as a task', inputSchema: { type: 'object', properties: { seconds: { type: 'number' }, label: { type: 'string' } } } },
    job: async (a, { signal }) => {
      await sleep(Number(a.seconds ?? 1) * 1000, signal);
      return text(`Computed ${String(a.label ?? 'result')} after ${Number(a.seconds ?? 1)}s`);
    },
  },
  failing_job: {
    support: 'required',
    def: { name: 'failing_job', description: 'Always ends in a tool error after about a second; runs only as a task', inputSchema: { type: 'object', properties: {} } },
    job: async (_a, { signal }) => {
      await sleep(1000, signal);
      return { isError: true, content: [{ type: 'text', text: 'failing_job failed as designed' }] };
    },
  },
  protocol_error_job: {
    support: 'optional',
    def: { name: 'protocol_error_job', description: 'Fails with a protocol-level error; runs as a task', inputSchema: { type: 'object', properties: {} } },
    job: async (_a, { signal }) => {
      await sleep(200, signal);
      throw new ProtocolFailure(ProtocolErrorCode.InternalError, 'protocol_error_job broke as designed');
    },
  },
  confirm_delete: {
    support: 'optional',
    def: { name: 'confirm_delete', description: 'Asks to confirm, then pretends to delete `filename`; runs as a task', inputSchema: { type: 'object', properties: { filename: { type: 'string' } } } },
    job: async (a, { ask }) => {
      const answers = await ask({ [`confirm-${randomUUID().slice(0, 8)}`]: elicit(`Delete ${String(a.filename ?? 'the file')}?`, { confirm: { type: 'boolean' } }) });
      const accepted = Object.values(answers).every((r) => (r as { action?: string })?.action === 'accept');
      return text(accepted ? `Deleted ${String(a.filename ?? 'the file')}` : 'Kept the file');
    },
  },
  multi_input: {
    support: 'optional',
    def: { name: 'multi_input', description: 'Asks two questions at once; runs as a task', inputSchema: { type: 'object', properties: {} } },
    job: async (_a, { ask }) => {
      const answers = await ask({
        [`name-${randomUUID().slice(0, 8)}`]: elicit('Your name?', { name: { type: 'string' } }),
        [`confirm-${randomUUID().slice(0, 8)}`]: elicit('Go ahead?', { confirm: { type: 'boolean' } }),
      });
      return text(`Got ${Object.keys(answers).length} answers`);
    },
  },
};

const MRTR_TOOL: Tool = { name: 'test_tool_with_task', description: 'Asks for a name (input_required), then works on it as a task', inputSchema: { type: 'object', properties: {} } };
const GREET: Tool = { name: 'greet', description: 'Says hello; always answers directly', inputSchema: { type: 'object', properties: { name: { type: 'string' } } } };

export const TASK_FIXTURE_TOOLS: Tool[] = [
  GREET,
  ...Object.values(JOBS).map((j) => ({ ...j.def, execution: { taskSupport: j.support } }) as Tool),
  { ...MRTR_TOOL, execution: { taskSupport: 'required' } } as Tool,
];

export function greet(args: Record<string, unknown>): CallToolResult {
  return text(`Hello, ${String(args.name ?? 'World')}!`);
}

class FixtureTasks implements McpTaskBackend {
  private readonly tasks = new Map<string, Entry>();
  private readonly listeners = new Set<(c: McpTaskChange) => void>();

  taskTools(): string[] {
    return [...Object.keys(JOBS), MRTR_TOOL.name];
  }

  support(tool: string): TaskSupport | undefined {
    return tool === MRTR_TOOL.name ? 'required' : JOBS[tool]?.support;
  }

  async start(tool: string, args: Record<string, unknown>, call: McpCallContext): Promise<McpTask | ToolOutcome> {
    if (tool === MRTR_TOOL.name) {
      // Round one asks (multi-round-trip); the answered round becomes a task.
      const r = inputResponse(call.ctx.mcpReq.inputResponses, 'user_name');
      if (r.kind !== 'elicit') return inputRequired({ inputRequests: { user_name: elicit('What is your name?', { name: { type: 'string' } }) as never } });
      const name = String((r.content as { name?: unknown } | undefined)?.name ?? 'nobody');
      return this.run(async (_a, { signal }) => (await sleep(300, signal), text(`Worked on it for ${name}`)), {});
    }
    return this.run(JOBS[tool].job, args);
  }

  private run(job: Job, args: Record<string, unknown>): McpTask {
    const now = new Date().toISOString();
    const task: McpTask = { taskId: randomUUID(), status: 'working', createdAt: now, lastUpdatedAt: now, ttlMs: TTL_MS, pollIntervalMs: DEFAULT_POLL_MS };
    const entry: Entry = { task, ac: new AbortController(), answers: new Map(), done: Promise.resolve() };
    this.tasks.set(task.taskId, entry);
    const ask = async (requests: Record<string, unknown>) => {
      const answers: Record<string, unknown> = {};
      const waits = Object.keys(requests).map((key) => new Promise<void>((resolve) => entry.answers.set(key, (v) => ((answers[key] = v), resolve()))));
      this.set(entry, { status: 'input_required', inputRequests: { ...requests } });
      await Promise.race([Promise.all(waits), new Promise((_r, reject) => entry.ac.signal.addEventListener('abort', () => reject(new Canceled()), { once: true }))]);
      this.set(entry, { status: 'working', inputRequests: undefined });
      return answers;
    };
    entry.done = job(args, { signal: entry.ac.signal, ask }).then(
      (result) => this.set(entry, { status: 'completed', result }),
      (err) =>
        err instanceof Canceled
          ? this.set(entry, { status: 'cancelled' })
          : this.set(entry, { status: 'failed', error: { code: err instanceof ProtocolFailure ? err.code : ProtocolErrorCode.InternalError, message: (err as Error).message } }),
    );
    setTimeout(() => this.tasks.delete(task.taskId), TTL_MS).unref();
    return { ...task };
  }

  private set(entry: Entry, patch: Partial<McpTask>): void {
    if (isTerminal(entry.task.status)) return;
    entry.task = { ...entry.task, ...patch, lastUpdatedAt: new Date().toISOString() };
    if (patch.inputRequests === undefined && 'inputRequests' in patch) delete entry.task.inputRequests;
    for (const l of this.listeners) l({ task: { ...entry.task } });
  }

  get(id: string): McpTask | undefined {
    const e = this.tasks.get(id);
    return e && { ...e.task };
  }

  list(): McpTask[] {
    return [...this.tasks.values()].map((e) => ({ ...e.task }));
  }

  async wait(id: string): Promise<McpTask | undefined> {
    await this.tasks.get(id)?.done;
    return this.get(id);
  }

  async cancel(id: string): Promise<McpTask | undefined> {
    const e = this.tasks.get(id);
    if (!e) return undefined;
    if (!isTerminal(e.task.status)) {
      e.ac.abort();
      await e.done;
    }
    return this.get(id);
  }

  update(id: string, responses: Record<string, unknown>): boolean {
    const e = this.tasks.get(id);
    if (!e) return false;
    const open = { ...(e.task.inputRequests ?? {}) };
    for (const [key, value] of Object.entries(responses)) {
      const answer = e.answers.get(key);
      if (!answer) continue; // an unknown key is ignored, not an error
      e.answers.delete(key);
      delete open[key];
      answer(value);
    }
    // Answered keys leave the open questions at once, even while others are still pending.
    if (e.task.status === 'input_required') e.task = { ...e.task, inputRequests: open };
    return true;
  }

  watch(_call: McpCallContext, listener: (c: McpTaskChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

export const fixtureTasks = new FixtureTasks();

/** Direct calls to the task tools (a client that did not ask for a task still gets an answer). */
export async function runTaskToolDirectly(tool: string, args: Record<string, unknown>): Promise<CallToolResult | undefined> {
  const j = JOBS[tool];
  if (!j) return undefined;
  try {
    return await j.job(args, { signal: new AbortController().signal, ask: async () => ({}) });
  } catch (err) {
    return { isError: true, content: [{ type: 'text', text: (err as Error).message }] };
  }
}
