import type { DB } from '../store/db.js';
import type { Caller, Surface } from '../kernel/ops/define.js';
import type { TaskProgress, TaskStatus } from './task-types.js';

export interface TaskRow {
  id: string;
  op: string;
  caller: Caller;
  surface: Surface;
  input: unknown;
  resumeInput: unknown;
  status: TaskStatus;
  statusMessage: string | null;
  progress: TaskProgress | null;
  haltId: string | null;
  result: unknown;
  error: { code: string; message: string } | null;
  createdAt: string;
  updatedAt: string;
  expiresAt: string;
}

interface Raw {
  id: string; op: string; caller: string; surface: Surface; input: string; resume_input: string | null; status: TaskStatus;
  status_message: string | null; progress: string | null; halt_id: string | null; result: string | null; error: string | null;
  created_at: string; updated_at: string; expires_at: string;
}

const parse = (s: string | null): unknown => (s === null ? null : JSON.parse(s));

function fromRaw(r: Raw): TaskRow {
  return {
    id: r.id, op: r.op, caller: JSON.parse(r.caller) as Caller, surface: r.surface, input: parse(r.input), resumeInput: parse(r.resume_input),
    status: r.status, statusMessage: r.status_message, progress: parse(r.progress) as TaskProgress | null, haltId: r.halt_id,
    result: parse(r.result), error: parse(r.error) as TaskRow['error'], createdAt: r.created_at, updatedAt: r.updated_at, expiresAt: r.expires_at,
  };
}

export type TaskPatch = Partial<Pick<TaskRow, 'status' | 'statusMessage' | 'progress' | 'haltId' | 'result' | 'error'>>;

const COLUMN: Record<keyof TaskPatch, string> = {
  status: 'status', statusMessage: 'status_message', progress: 'progress', haltId: 'halt_id', result: 'result', error: 'error',
};

/** The tasks table: one row per task, JSON in the text columns. */
export class TaskStore {
  constructor(private readonly db: () => DB) {}

  insert(t: Omit<TaskRow, 'updatedAt' | 'statusMessage' | 'progress' | 'result' | 'error'>): void {
    this.db()
      .prepare(`INSERT INTO tasks (id, op, caller, surface, input, resume_input, status, halt_id, created_at, updated_at, expires_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
      .run(t.id, t.op, JSON.stringify(t.caller), t.surface, JSON.stringify(t.input ?? null), t.resumeInput === undefined ? null : JSON.stringify(t.resumeInput),
        t.status, t.haltId, t.createdAt, t.createdAt, t.expiresAt);
  }

  get(id: string): TaskRow | undefined {
    const r = this.db().prepare('SELECT * FROM tasks WHERE id = ?').get(id) as Raw | undefined;
    return r && fromRaw(r);
  }

  /** Newest first; `onlyStatus` narrows. */
  list(onlyStatus?: TaskStatus, limit = 200): TaskRow[] {
    const rows = (onlyStatus
      ? this.db().prepare('SELECT * FROM tasks WHERE status = ? ORDER BY created_at DESC LIMIT ?').all(onlyStatus, limit)
      : this.db().prepare('SELECT * FROM tasks ORDER BY created_at DESC LIMIT ?').all(limit)) as Raw[];
    return rows.map(fromRaw);
  }

  /** Applies `patch` unless the task is already terminal (a late finish never overwrites a cancel). Returns whether it changed. */
  update(id: string, patch: TaskPatch, onlyIfOpen = true): boolean {
    const sets: string[] = [];
    const values: unknown[] = [];
    for (const [k, v] of Object.entries(patch) as [keyof TaskPatch, unknown][]) {
      sets.push(`${COLUMN[k]} = ?`);
      values.push(k === 'status' || k === 'statusMessage' || k === 'haltId' ? (v ?? null) : v === undefined || v === null ? null : JSON.stringify(v));
    }
    sets.push('updated_at = ?');
    values.push(new Date().toISOString());
    const guard = onlyIfOpen ? " AND status NOT IN ('completed', 'failed', 'canceled')" : '';
    return this.db().prepare(`UPDATE tasks SET ${sets.join(', ')} WHERE id = ?${guard}`).run(...values, id).changes > 0;
  }

  /** Open tasks (a restart finds these). */
  open(): TaskRow[] {
    return (this.db().prepare("SELECT * FROM tasks WHERE status IN ('working', 'input_required')").all() as Raw[]).map(fromRaw);
  }

  /** Finished tasks past their time to live. */
  deleteExpired(now: string): number {
    return this.db().prepare("DELETE FROM tasks WHERE expires_at <= ? AND status IN ('completed', 'failed', 'canceled')").run(now).changes;
  }
}
