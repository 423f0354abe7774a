import { exitCodeFor } from '../../kernel/ops/errors.js';
import type { CliContext } from './context.js';
import { printResponse } from './op-commands.js';

interface TaskBody {
  id: string;
  op: string;
  status: 'working' | 'input_required' | 'completed' | 'failed' | 'canceled';
  statusMessage: string | null;
  progress: { done: number; total: number; message?: string } | null;
  haltId: string | null;
  approvalLinks: { label: string; url: string }[];
  result: unknown;
  error: { code: string; message: string } | null;
}

const TERMINAL = new Set(['completed', 'failed', 'canceled']);

/** `--detach`: the task id on stdout (the whole task with --json), and how to come back to it. */
export function printStarted(ctx: CliContext, status: number, body: unknown): number {
  const b = body as { taskId?: string; task?: TaskBody };
  if (status !== 202 || !b?.taskId) return printResponse(ctx, status, body);
  if (ctx.json) ctx.io.out(JSON.stringify(b.task ?? body, null, 2));
  else {
    ctx.io.out(b.taskId);
    ctx.io.err(`Started ${b.task?.op ?? 'task'} as ${b.taskId}. Follow it: fazt tasks wait ${b.taskId}   (cancel: fazt tasks cancel ${b.taskId})`);
  }
  return 0;
}

/** A progress bar on stderr for a terminal; nothing otherwise. */
export function progressBar(label: string, done: number, total: number): string {
  const width = 30;
  const ratio = total > 0 ? Math.min(1, done / total) : 0;
  const filled = Math.round(ratio * width);
  return `${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${Math.floor(ratio * 100)}% ${done}/${total}`;
}

/** Waits for a task to finish, drawing its progress, then prints its result like the op itself would. */
export async function followTask(ctx: CliContext, id: string, pollMs = 300): Promise<number> {
  const r = await settleTask(ctx, id, pollMs);
  return typeof r === 'number' ? r : printResponse(ctx, 200, r.result);
}

/** Waits for a task to finish, drawing its progress: its result, or the exit code once a failure is printed. */
export async function settleTask(ctx: CliContext, id: string, pollMs = 300): Promise<{ result: unknown } | number> {
  const client = ctx.client();
  const tty = process.stderr.isTTY === true && !ctx.json;
  let toldHalt = false;
  for (;;) {
    const res = await client.callOp('tasks.result', { id, waitSeconds: 1 });
    if (res.status !== 200) return printResponse(ctx, res.status, res.body);
    const t = res.body as TaskBody;
    if (tty && t.progress) process.stderr.write(`\r\x1b[K${progressBar(t.progress.message ?? t.op, t.progress.done, t.progress.total)}`);
    if (t.status === 'input_required' && !toldHalt) {
      toldHalt = true;
      if (tty) process.stderr.write('\r\x1b[K');
      ctx.io.err(`${t.statusMessage ?? 'Waiting for the owner.'}\nThe owner decides: fazt halt approve ${t.haltId}${t.approvalLinks.length ? `  or ${t.approvalLinks[0].url}` : ''}`);
    }
    if (TERMINAL.has(t.status)) {
      if (tty) process.stderr.write('\r\x1b[K');
      if (t.status === 'completed') return { result: t.result };
      const e = t.error ?? { code: t.status === 'canceled' ? 'CANCELED' : 'INTERNAL', message: `Task ${id} ${t.status}.` };
      if (ctx.json) ctx.io.out(JSON.stringify({ error: e, task: t }, null, 2));
      else ctx.io.err(`Error (${e.code}): ${e.message}`);
      return exitCodeFor(e.code);
    }
    if (pollMs > 0) await new Promise((r) => setTimeout(r, pollMs));
  }
}
