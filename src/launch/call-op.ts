import type { InvokeResult } from '../kernel/ops/call.js';
import type { OpContext } from '../kernel/ops/define.js';
import { OpError } from '../kernel/ops/errors.js';

/**
 * Runs one step's op as the launch's own caller, through the pipeline: it is
 * audited, authorized and gated like any call. A step that needs the owner's
 * approval asks them where the launch was asked for (an MCP client's confirmation),
 * or else halts on its own, and the plan waits for that halt.
 */
export function callOp(ctx: OpContext, name: string, input: unknown): Promise<InvokeResult> {
  return ctx.kernel.invoke(ctx.caller, name, input, {
    surface: ctx.surface,
    requestId: ctx.requestId,
    signal: ctx.signal,
    ...ctx.ask,
  });
}

/** The output of a read-only probe, or undefined when it fails (not found, op missing). */
export async function tryCall(ctx: OpContext, name: string, input: unknown): Promise<unknown | undefined> {
  if (!ctx.kernel.registry.get(name)) return undefined;
  try {
    const r = await callOp(ctx, name, input);
    return r.status === 'ok' ? r.output : undefined;
  } catch (err) {
    if (err instanceof OpError) return undefined;
    throw err;
  }
}

/** An op on this node, or on a server's fazt (infra.peers.call) when `server` is given. */
export async function callAt(ctx: OpContext, server: string | undefined, name: string, input: unknown): Promise<InvokeResult> {
  if (!server) return callOp(ctx, name, input);
  const r = await callOp(ctx, 'infra.peers.call', { id: server, op: name, args: input });
  return r.status === 'ok' ? { ...r, output: (r.output as { output: unknown }).output } : r;
}

/** tryCall, on this node or on a server's fazt. */
export async function probeAt(ctx: OpContext, server: string | undefined, name: string, input: unknown): Promise<unknown | undefined> {
  if (!server) return tryCall(ctx, name, input);
  const r = (await tryCall(ctx, 'infra.peers.call', { id: server, op: name, args: input })) as { output: unknown } | undefined;
  return r?.output;
}
