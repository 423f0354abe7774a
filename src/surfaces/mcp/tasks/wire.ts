import type { CallToolResult } from '@modelcontextprotocol/server';
import type { McpCallContext, ToolOutcome } from '../catalog.js';

/** The tasks extension's id (protocol 2026-07-28, SEP-2663). */
export const TASKS_EXTENSION = 'io.modelcontextprotocol/tasks';
export const DEFAULT_POLL_MS = 1000;

export type McpTaskStatus = 'working' | 'input_required' | 'completed' | 'failed' | 'cancelled';

/** One task as both protocol eras describe it; each era's shape is cut from this. */
export interface McpTask {
  taskId: string;
  status: McpTaskStatus;
  statusMessage?: string;
  createdAt: string;
  lastUpdatedAt: string;
  ttlMs: number | null;
  pollIntervalMs: number;
  /** completed: the tool result (a tool error is a completed task with isError). */
  result?: CallToolResult;
  /** failed: a protocol-level error. */
  error?: { code: number; message: string; data?: unknown };
  /** input_required: what the task waits for, keyed by request id. */
  inputRequests?: Record<string, unknown>;
}

export const isTerminal = (s: McpTaskStatus) => s === 'completed' || s === 'failed' || s === 'cancelled';

export type TaskSupport = 'optional' | 'required';

/** A change a listening client hears about. */
export interface McpTaskChange {
  task: McpTask;
  progress?: { done: number; total: number; message?: string };
}

/** Where a catalog keeps its tasks: the kernel's task service, or the fixture's memory. */
export interface McpTaskBackend {
  /** The task support of a tool, or undefined when it always answers directly. */
  support(tool: string, call: McpCallContext): TaskSupport | undefined;
  /** Names of the tools that run as tasks (for the error a wrong request gets). */
  taskTools(call: McpCallContext): string[];
  /** Starts the tool as a task; a direct outcome (a refusal, a question first) comes back as is. */
  start(tool: string, args: Record<string, unknown>, call: McpCallContext, opts: { ttlMs?: number }): Promise<McpTask | ToolOutcome>;
  get(taskId: string, call: McpCallContext): McpTask | undefined;
  list(call: McpCallContext): McpTask[];
  /** Resolves once the task is terminal (or the signal aborts). */
  wait(taskId: string, call: McpCallContext, signal?: AbortSignal): Promise<McpTask | undefined>;
  cancel(taskId: string, call: McpCallContext): Promise<McpTask | undefined>;
  /** Answers to a task's inputRequests; false when there is no such task. */
  update(taskId: string, responses: Record<string, unknown>, call: McpCallContext): boolean;
  /** Changes of tasks this connection may see. */
  watch?(call: McpCallContext, listener: (c: McpTaskChange) => void): () => void;
}

export function isTask(v: unknown): v is McpTask {
  return typeof v === 'object' && v !== null && typeof (v as McpTask).taskId === 'string' && typeof (v as McpTask).status === 'string' && !('content' in v);
}

/** 2025-11-25 `Task`. */
export function task2025(t: McpTask): Record<string, unknown> {
  return {
    taskId: t.taskId,
    status: t.status,
    ttl: t.ttlMs,
    createdAt: t.createdAt,
    lastUpdatedAt: t.lastUpdatedAt,
    pollInterval: t.pollIntervalMs,
    ...(t.statusMessage ? { statusMessage: t.statusMessage } : {}),
  };
}

/** 2026-07-28 `Task` (CreateTaskResult body, without resultType). */
export function task2026(t: McpTask): Record<string, unknown> {
  return {
    taskId: t.taskId,
    status: t.status,
    ttlMs: t.ttlMs,
    createdAt: t.createdAt,
    lastUpdatedAt: t.lastUpdatedAt,
    pollIntervalMs: t.pollIntervalMs,
    ...(t.statusMessage ? { statusMessage: t.statusMessage } : {}),
  };
}

/** 2026-07-28 `DetailedTask` for tasks/get: the result, error or open questions inline. */
export function detailed2026(t: McpTask): Record<string, unknown> {
  return {
    ...task2026(t),
    ...(t.status === 'completed' && t.result ? { result: t.result } : {}),
    ...(t.status === 'failed' && t.error ? { error: t.error } : {}),
    ...(t.status === 'input_required' && t.inputRequests ? { inputRequests: t.inputRequests } : {}),
  };
}
