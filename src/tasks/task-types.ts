import type { Surface } from '../kernel/ops/define.js';

export const TASK_STATUSES = ['working', 'input_required', 'completed', 'failed', 'canceled'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

export const TERMINAL: ReadonlySet<TaskStatus> = new Set(['completed', 'failed', 'canceled']);

export interface TaskProgress {
  done: number;
  total: number;
  message?: string;
}

/** A task as its caller sees it. */
export interface TaskView {
  id: string;
  op: string;
  status: TaskStatus;
  statusMessage: string | null;
  caller: { kind: string; name: string };
  surface: Surface;
  input: unknown;
  progress: TaskProgress | null;
  /** The halt the task waits on (status input_required), with the owner's one-tap links. */
  haltId: string | null;
  approvalLinks: { label: string; url: string }[];
  result: unknown;
  error: { code: string; message: string } | null;
  createdAt: string;
  updatedAt: string;
  expiresAt: string;
}

/** What listeners hear: a status change or a progress step. */
export type TaskChange = { kind: 'status' | 'progress'; task: TaskView };
