import { z } from 'zod';
import { ANY_CALLER, defineOp } from '../../kernel/ops/define.js';
import { TASK_STATUSES } from '../task-types.js';

export const taskSchema = z.object({
  id: z.string(),
  op: z.string(),
  status: z.enum(TASK_STATUSES),
  statusMessage: z.string().nullable(),
  caller: z.object({ kind: z.string(), name: z.string() }),
  surface: z.string(),
  input: z.unknown().describe('The input as started, with secrets and long values cut'),
  progress: z.object({ done: z.number(), total: z.number(), message: z.string().optional() }).nullable(),
  haltId: z.string().nullable().describe('The halt the task waits on while input_required'),
  approvalLinks: z.array(z.object({ label: z.string(), url: z.string() })).describe("The owner's one-tap links for that halt"),
  result: z.unknown().describe("The op's output once completed"),
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  expiresAt: z.string().describe('When the finished task is forgotten'),
});

const taskId = z.string().min(1).max(100).describe("Task id, as returned when it started ('task_…')");

export const tasksGet = defineOp({
  name: 'tasks.get',
  title: 'Show a task',
  description: 'Shows one task: status (working, input_required, completed, failed, canceled), progress, and its result or error once finished. Callers see their own tasks; kernel:* sees all.',
  input: z.object({ id: taskId }),
  output: taskSchema,
  requires: ANY_CALLER,
  risk: 'read',
  cli: { command: ['tasks', 'show'], positional: ['id'] },
  handler: ({ kernel, caller }, { id }) => kernel.services.tasks.get(caller, id),
});

export const tasksList = defineOp({
  name: 'tasks.list',
  title: 'List tasks',
  description: 'Lists your tasks, newest first, optionally only those with one status.',
  input: z.object({
    status: z.enum(TASK_STATUSES).optional().describe('Only tasks with this status'),
    limit: z.number().int().min(1).max(500).default(50),
  }),
  output: z.object({ tasks: z.array(taskSchema) }),
  requires: ANY_CALLER,
  risk: 'read',
  handler: ({ kernel, caller }, { status, limit }) => ({ tasks: kernel.services.tasks.list(caller, status, limit) }),
});

export const MAX_WAIT_SECONDS = 120;

export const tasksResult = defineOp({
  name: 'tasks.result',
  title: 'Task result',
  description: `Waits until a task finishes (up to waitSeconds, at most ${MAX_WAIT_SECONDS}) and returns it with its result or error; a task still running comes back with status working, to ask again.`,
  input: z.object({ id: taskId, waitSeconds: z.number().min(0).max(MAX_WAIT_SECONDS).default(30).describe('How long to wait for the task to finish') }),
  output: taskSchema,
  requires: ANY_CALLER,
  risk: 'read',
  cli: { command: ['tasks', 'result'], positional: ['id'] },
  handler: ({ kernel, caller }, { id, waitSeconds }) => kernel.services.tasks.result(caller, id, waitSeconds * 1000),
});

export const tasksCancel = defineOp({
  name: 'tasks.cancel',
  title: 'Cancel a task',
  description: 'Stops a running task; the op undoes what it started (a canceled deploy leaves no version behind). A finished task is returned unchanged.',
  input: z.object({ id: taskId }),
  output: taskSchema,
  requires: ANY_CALLER,
  risk: 'write',
  idempotent: true,
  cli: { command: ['tasks', 'cancel'], positional: ['id'] },
  handler: ({ kernel, caller }, { id }) => kernel.services.tasks.cancel(caller, id),
});

export const taskOps = [tasksGet, tasksList, tasksResult, tasksCancel];
