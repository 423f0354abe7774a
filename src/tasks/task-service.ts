import { randomBytes } from 'node:crypto';
import { redact } from '../audit/redact.js';
import { holds } from '../auth/capabilities.js';
import type { Kernel } from '../kernel/kernel.js';
import type { Caller, InvokeOptions } from '../kernel/ops/define.js';
import { OpError, toOpError } from '../kernel/ops/errors.js';
import type { InvokeResult } from '../kernel/ops/call.js';
import { TaskStore, type TaskRow } from './task-store.js';
import { TERMINAL, type TaskChange, type TaskStatus, type TaskView } from './task-types.js';

export const DEFAULT_TASK_TTL_MS = 24 * 3600_000;
/** Progress is written at most this often; listeners hear every step. */
const PROGRESS_WRITE_MS = 200;
/** How long tasks.cancel waits for the op to stop, so its answer shows where it ended. */
const CANCEL_SETTLE_MS = 10_000;

const INTERRUPTED = { code: 'INTERRUPTED', message: 'The server stopped while this task was running, so it did not finish (nothing of it went live). Run it again.' };

export type TaskStartOptions = Omit<InvokeOptions, 'signal' | 'progress' | 'onRun' | 'confirm'> & { ttlMs?: number };

interface Running {
  ac: AbortController;
  settled: Promise<void>;
  lastWrite: number;
}

function sameCaller(a: Pick<Caller, 'kind' | 'name' | 'tokenId' | 'appId'>, b: Caller): boolean {
  return a.kind === b.kind && a.name === b.name && a.tokenId === b.tokenId && a.appId === b.appId;
}

/**
 * Long operations run as tasks: the call returns a task id at once, the op runs on
 * with a signal to cancel it and progress that updates the row. Rows outlive the
 * process: a restart fails what it interrupted, or runs a resumable op again.
 */
export class TaskService {
  private readonly store: TaskStore;
  private readonly running = new Map<string, Running>();
  private readonly listeners = new Set<(c: TaskChange) => void>();
  private unwatchHalts?: () => void;
  private stopping = false;

  constructor(private readonly kernel: Kernel) {
    this.store = new TaskStore(() => kernel.db);
  }

  /** Ops a caller may run as a task, for error messages and tool lists. */
  longRunningOps(): string[] {
    return this.kernel.registry.list().filter((o) => o.longRunning).map((o) => o.name);
  }

  /**
   * Runs `opName` as a task. Every check (capabilities, input, rate) happens first, so a
   * bad call is refused at once rather than becoming a failed task.
   */
  async start(caller: Caller, opName: string, input: unknown, opts: TaskStartOptions): Promise<TaskView> {
    const op = this.kernel.registry.get(opName);
    if (!op) throw new OpError('NOT_FOUND', `Unknown operation '${opName}'. Run 'fazt ops list' to see them.`);
    if (!op.longRunning) {
      const ops = this.longRunningOps();
      throw new OpError('BAD_INPUT', `${opName} does not run as a task: it answers directly. Ops that run as tasks: ${ops.join(', ') || '(none)'}.`, { op: opName, longRunning: ops });
    }
    const id = 'task_' + randomBytes(8).toString('hex');
    const ttlMs = Math.max(1000, Math.min(opts.ttlMs ?? DEFAULT_TASK_TTL_MS, 30 * 24 * 3600_000));
    const base = { id, op: opName, caller, surface: opts.surface, input: redact(input), resumeInput: op.resumable ? input : undefined, haltId: null };
    // Created and expiry from one instant, so the TTL a client reads back is exactly the one it asked for.
    const stamps = () => {
      const t = Date.now();
      return { createdAt: new Date(t).toISOString(), expiresAt: new Date(t + ttlMs).toISOString() };
    };
    let created = false;
    const run = this.execute(id, caller, opName, input, opts, () => {
      this.store.insert({ ...base, status: 'working', ...stamps() });
      created = true;
    });
    const settledEarly = await Promise.race([run.outcome.then(() => !created, () => !created), run.accepted.then(() => false)]);
    if (!settledEarly) return this.view(this.store.get(id)!);
    // Never got to run: a refusal is the caller's answer now; a halt becomes a task waiting on the owner.
    const r = await run.outcome;
    if (r.status !== 'halted') throw new OpError('INTERNAL', `${opName} finished without running`);
    this.store.insert({ ...base, status: 'input_required', haltId: r.halt.haltId, ...stamps() });
    this.store.update(id, { statusMessage: `Waiting for the owner to decide halt ${r.halt.haltId}: ${r.halt.reason}` });
    this.emit('status', id);
    return this.view(this.store.get(id)!);
  }

  /** Invokes the op for task `id`; the row follows the outcome once `accept` made it. */
  private execute(id: string, caller: Caller, opName: string, input: unknown, opts: TaskStartOptions, accept: () => void) {
    const ac = new AbortController();
    let markAccepted!: () => void;
    const accepted = new Promise<void>((r) => (markAccepted = r));
    const entry: Running = { ac, settled: Promise.resolve(), lastWrite: 0 };
    const outcome: Promise<InvokeResult> = this.kernel.invoke(caller, opName, input, {
      ...opts,
      signal: ac.signal,
      progress: (done, total, message) => this.progress(id, done, total, message),
      onRun: () => {
        accept();
        this.running.set(id, entry);
        markAccepted();
      },
    });
    entry.settled = outcome
      .then(
        (r) => this.finish(id, r),
        (err) => this.fail(id, ac.signal.aborted, err),
      )
      // The database may be gone when a stopping server's op finally ends: nothing left to record.
      .catch(() => {});
    return { outcome, accepted };
  }

  private finish(id: string, r: InvokeResult): void {
    this.running.delete(id);
    if (!this.store.get(id)) return;
    if (r.status === 'halted') {
      this.store.update(id, { status: 'input_required', haltId: r.halt.haltId, statusMessage: `Waiting for the owner to decide halt ${r.halt.haltId}: ${r.halt.reason}` });
    } else {
      this.store.update(id, { status: 'completed', result: r.output ?? null, statusMessage: null });
    }
    this.emit('status', id);
  }

  private fail(id: string, aborted: boolean, err: unknown): void {
    this.running.delete(id);
    if (!this.store.get(id)) return;
    const e = toOpError(err);
    const canceled = aborted && (e.code === 'CANCELED' || (err as Error)?.name === 'AbortError');
    if (canceled && this.stopping && this.kernel.registry.get(this.store.get(id)!.op)?.resumable) {
      // Left working on purpose: the next start runs it again (recover).
      this.store.update(id, { statusMessage: 'Stopped with the server; it resumes when the server starts again.' });
    } else if (canceled && this.stopping) this.store.update(id, { status: 'failed', statusMessage: null, error: INTERRUPTED });
    else if (canceled) this.store.update(id, { status: 'canceled', statusMessage: 'Canceled before it finished; nothing of it was kept.', error: { code: 'CANCELED', message: e.message } });
    else this.store.update(id, { status: 'failed', error: { code: e.code, message: e.message }, statusMessage: null });
    this.emit('status', id);
  }

  private progress(id: string, done: number, total: number, message?: string): void {
    const entry = this.running.get(id);
    const progress = { done, total, ...(message ? { message } : {}) };
    const t = Date.now();
    if (!entry || t - entry.lastWrite >= PROGRESS_WRITE_MS || done >= total) {
      this.store.update(id, { progress });
      if (entry) entry.lastWrite = t;
    }
    if (!this.listeners.size) return;
    const row = this.store.get(id);
    if (row) this.notify({ kind: 'progress', task: { ...this.view(row), progress } });
  }

  /** One task, if `caller` may see it (its own, or any with kernel:*). */
  get(caller: Caller, id: string): TaskView {
    return this.view(this.visibleRow(caller, id));
  }

  list(caller: Caller, status?: TaskStatus, limit = 100): TaskView[] {
    this.sweep();
    return this.store
      .list(status, 1000)
      .filter((r) => this.mayAccess(caller, r))
      .slice(0, limit)
      .map((r) => this.view(this.refresh(r)));
  }

  /** The task once finished, waiting up to `waitMs` for it; an unfinished task comes back as it stands. */
  async result(caller: Caller, id: string, waitMs: number): Promise<TaskView> {
    let t = this.get(caller, id);
    if (TERMINAL.has(t.status) || waitMs <= 0) return t;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, waitMs);
      const off = this.watch((c) => c.task.id === id && c.kind === 'status' && TERMINAL.has(c.task.status) && done());
      // A halt decided elsewhere only shows when the row is read again.
      const poll = setInterval(() => TERMINAL.has(this.get(caller, id).status) && done(), 1000);
      function done() {
        clearTimeout(timer);
        clearInterval(poll);
        off();
        resolve();
      }
    });
    t = this.get(caller, id);
    return t;
  }

  /** Stops a task: the op sees its signal abort and undoes what it started. A finished task is left as it is. */
  async cancel(caller: Caller, id: string): Promise<TaskView> {
    const row = this.visibleRow(caller, id);
    if (TERMINAL.has(row.status)) return this.view(row);
    const entry = this.running.get(id);
    if (entry) {
      this.store.update(id, { statusMessage: 'Canceling…' });
      entry.ac.abort(new OpError('CANCELED', `Task ${id} was canceled.`));
      await Promise.race([entry.settled, new Promise((r) => setTimeout(r, CANCEL_SETTLE_MS).unref())]);
    } else {
      // Waiting on a halt (or left by another process): nothing runs, so it ends here.
      const note = row.haltId ? ` Halt ${row.haltId} stays for the owner to deny.` : '';
      this.store.update(id, { status: 'canceled', statusMessage: `Canceled.${note}`, error: { code: 'CANCELED', message: `Task ${id} was canceled.` } });
      this.emit('status', id);
    }
    return this.get(caller, id);
  }

  /** Hears every status change and progress step of every task (surfaces filter by caller). */
  watch(listener: (c: TaskChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Whether `caller` may read and cancel the task. */
  mayAccess(caller: Caller, row: Pick<TaskRow, 'caller'>): boolean {
    return holds(caller.caps, 'kernel:*') || sameCaller(row.caller, caller);
  }

  /** At start: tasks a restart interrupted are failed with the reason, or run again when their op resumes. */
  recover(): { failed: number; resumed: number; waiting: number } {
    let failed = 0;
    let resumed = 0;
    let waiting = 0;
    for (const row of this.store.open()) {
      if (row.status === 'input_required' && row.haltId) {
        waiting++;
        continue;
      }
      const op = this.kernel.registry.get(row.op);
      if (row.status === 'working' && op?.resumable && row.resumeInput !== null) {
        resumed++;
        this.store.update(row.id, { statusMessage: 'Resumed after a server restart.' });
        this.execute(row.id, row.caller, row.op, row.resumeInput, { surface: row.surface }, () => {});
        continue;
      }
      failed++;
      this.store.update(row.id, { status: 'failed', statusMessage: null, error: INTERRUPTED });
    }
    this.unwatchHalts = this.kernel.events.on('system.halt.decided', (e) => this.haltDecided(String((e.data as { id?: unknown }).id)));
    this.sweep();
    return { failed, resumed, waiting };
  }

  /** Stops running tasks (their ops undo what they started) and records them as interrupted. */
  async stop(): Promise<void> {
    this.unwatchHalts?.();
    this.stopping = true;
    const running = [...this.running.values()];
    for (const r of running) r.ac.abort(new OpError('CANCELED', 'The server is stopping.'));
    await Promise.race([Promise.allSettled(running.map((r) => r.settled)), new Promise((r) => setTimeout(r, CANCEL_SETTLE_MS).unref())]);
  }

  sweep(): number {
    return this.store.deleteExpired(new Date().toISOString());
  }

  private haltDecided(haltId: string): void {
    for (const row of this.store.list('input_required', 1000)) if (row.haltId === haltId) this.refresh(row);
  }

  /** A task waiting on a halt takes the halt's outcome once the owner decided. */
  private refresh(row: TaskRow): TaskRow {
    if (row.status !== 'input_required' || !row.haltId) return row;
    const halt = this.kernel.halts.get(row.haltId);
    if (!halt || halt.status === 'pending') return row;
    if (halt.status === 'approved') {
      // The approval ran the op; its result lives on the halt until written here.
      if (halt.result === null && halt.error === null) return row;
      this.store.update(row.id, { status: 'completed', result: halt.result, statusMessage: `Approved by ${halt.decidedBy ?? 'the owner'} and run.` });
    } else if (halt.status === 'failed') {
      this.store.update(row.id, { status: 'failed', error: halt.error ?? { code: 'INTERNAL', message: 'The approved call failed.' } });
    } else {
      this.store.update(row.id, {
        status: 'failed',
        error: { code: 'CANCELED', message: `Halt ${halt.id} was ${halt.status}${halt.decidedBy ? ` by ${halt.decidedBy}` : ''}: the call did not run.` },
      });
    }
    this.emit('status', row.id);
    return this.store.get(row.id)!;
  }

  private visibleRow(caller: Caller, id: string): TaskRow {
    const row = this.store.get(id);
    // Another caller's task answers exactly like a missing one: ids are not probed.
    if (!row || !this.mayAccess(caller, row)) throw new OpError('NOT_FOUND', `No task '${id}'. 'fazt tasks list' shows yours.`, { id });
    return this.refresh(row);
  }

  private emit(kind: TaskChange['kind'], id: string): void {
    const row = this.store.get(id);
    if (row) this.notify({ kind, task: this.view(row) });
  }

  private notify(c: TaskChange): void {
    for (const l of this.listeners) {
      try {
        l(c);
      } catch {
        /* a listener's failure is its own */
      }
    }
  }

  view(r: TaskRow): TaskView {
    return {
      id: r.id,
      op: r.op,
      status: r.status,
      statusMessage: r.statusMessage,
      caller: { kind: r.caller.kind, name: r.caller.name },
      surface: r.surface,
      input: r.input,
      progress: r.progress,
      haltId: r.haltId,
      approvalLinks: r.status === 'input_required' && r.haltId ? (this.kernel.services.approvals?.linksFor(r.haltId) ?? []) : [],
      result: r.result,
      error: r.error,
      createdAt: r.createdAt,
      updatedAt: r.updatedAt,
      expiresAt: r.expiresAt,
    };
  }
}
