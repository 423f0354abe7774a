import { createHash, randomBytes } from 'node:crypto';
import {
  CLIENT_CAPABILITIES_META_KEY,
  createRequestStateCodec,
  inputRequired,
  inputResponse,
  type InputRequiredResult,
  type ServerContext,
} from '@modelcontextprotocol/server';
import type { Kernel } from '../../kernel/kernel.js';
import type { ConfirmAnswer, HaltQuestion, ShownHalt, ShownHaltOutcome } from '../../kernel/ops/define.js';
import { INPUT_REQUIRED, OpError } from '../../kernel/ops/errors.js';
import type { McpCallContext } from './catalog.js';

/** Key under which the confirmation travels in `inputRequests` / `inputResponses`. */
const KEY = 'confirm';

interface ConfirmState {
  tool: string;
  args: string;
}

// One process serves every round of a flow, so a per-process key is enough.
const codec = createRequestStateCodec<ConfirmState>({
  key: randomBytes(32),
  ttlSeconds: 600,
  bind: (ctx: ServerContext) => `${ctx.mcpReq.method}\0${ctx.http?.authInfo?.clientId ?? ''}`,
});

export const verifyConfirmState = codec.verify;

function argsHash(args: unknown): string {
  return createHash('sha256').update(JSON.stringify(args ?? {})).digest('base64url');
}

export function isModern(ctx: ServerContext): boolean {
  const env = ctx.mcpReq.envelope as Record<string, unknown> | undefined;
  return !!env && Object.keys(env).length > 0;
}

/** Whether the client told us it can show a form to its user. */
export function canElicit(call: McpCallContext): boolean {
  const { ctx, server } = call;
  if (isModern(ctx)) {
    const caps = (ctx.mcpReq.envelope as Record<string, unknown>)[CLIENT_CAPABILITIES_META_KEY] as { elicitation?: unknown } | undefined;
    return !!caps?.elicitation;
  }
  return !!server.getClientCapabilities()?.elicitation;
}

/**
 * Whether a 2025-11-25 client can open a URL for its user (URL-mode elicitation).
 * Then the person decides on fazt's own approval page, not in a form the client draws.
 */
export function canOpenUrl(call: McpCallContext): boolean {
  if (isModern(call.ctx)) return false;
  const e = call.server.getClientCapabilities()?.elicitation as { url?: unknown } | undefined;
  return !!e?.url;
}

/** Longest a tool call waits for the decision on the approval page before answering with the pending halt. */
const PAGE_WAIT_MS = 10 * 60_000;

/**
 * Shows a halt's approval page through URL-mode elicitation and waits for the
 * decision made there (which runs the stored call). Undefined when the person
 * does not open it, or nobody decides in time: the call then answers with the
 * pending halt, which can still be decided later.
 */
export function makeShowHalt(kernel: Kernel, call: McpCallContext): (halt: ShownHalt) => Promise<ShownHaltOutcome | undefined> {
  return async (halt) => {
    const links = (await kernel.services.approvals?.linksFor(halt.id)) ?? [];
    const page = links.find((l) => /^approve/i.test(l.label)) ?? links[0];
    if (!page) return undefined;
    const { ctx } = call;
    const decided = waitForDecision(kernel, halt, ctx.mcpReq.signal);
    let opened: { action: string };
    try {
      opened = await ctx.mcpReq.elicitInput(
        { mode: 'url', message: `Approve in your browser: ${halt.reason} (until ${halt.expiresAt})`, url: page.url, elicitationId: halt.id } as never,
        { signal: ctx.mcpReq.signal, timeout: PAGE_WAIT_MS },
      );
    } catch {
      decided.cancel();
      return undefined;
    }
    if (opened.action !== 'accept') return (decided.cancel(), undefined);
    const outcome = await decided.promise;
    if (outcome) await call.server.createElicitationCompletionNotifier(halt.id)().catch(() => undefined);
    return outcome;
  };
}

function waitForDecision(kernel: Kernel, halt: ShownHalt, signal: AbortSignal): { promise: Promise<ShownHaltOutcome | undefined>; cancel(): void } {
  let finish: (v: ShownHaltOutcome | undefined) => void = () => {};
  const promise = new Promise<ShownHaltOutcome | undefined>((resolve) => (finish = resolve));
  const outcome = () => {
    const h = kernel.halts.get(halt.id);
    return h && h.status !== 'pending' ? { status: h.status, result: h.result, error: h.error } : undefined;
  };
  const off = kernel.events.on('system.halt.decided', (e) => {
    if ((e.data as { id?: string }).id === halt.id) done(outcome());
  });
  const timer = setTimeout(() => done(undefined), Math.min(PAGE_WAIT_MS, Math.max(0, Date.parse(halt.expiresAt) - Date.now())));
  const abort = () => done(undefined);
  signal.addEventListener('abort', abort, { once: true });
  function done(v: ShownHaltOutcome | undefined): void {
    off();
    clearTimeout(timer);
    signal.removeEventListener('abort', abort);
    finish(v);
  }
  // Decided between the halt's creation and the subscription.
  const already = outcome();
  if (already) done(already);
  return { promise, cancel: () => done(undefined) };
}

function question(q: HaltQuestion, tool: string, call: McpCallContext): { message: string; requestedSchema: Record<string, unknown> } {
  const who = call.client ? `${call.client}` : 'An MCP client';
  return {
    message: `${who} wants to run ${tool}: ${q.reason}\n\nInput: ${JSON.stringify(q.input)}\n\nThis cannot be undone without your approval. Choose ${q.options.join(' or ')}.`,
    requestedSchema: {
      type: 'object',
      properties: { decision: { type: 'string', title: 'Decision', description: q.reason, enum: q.options } },
      required: ['decision'],
    },
  };
}

/** Accept only a clear choice of a non-deny option; anything else never runs the call. */
export function interpretAnswer(action: unknown, content: unknown, options: string[]): ConfirmAnswer {
  if (action === 'decline' || action === 'cancel') return { action: 'decline' };
  const decision = (content as { decision?: unknown } | undefined)?.decision;
  if (action !== 'accept' || typeof decision !== 'string' || !options.includes(decision)) {
    throw new OpError('CANCELED', 'The confirmation answer was not understood, so nothing was done. Ask again if the user wants it.', { answer: content ?? null });
  }
  if (/^(deny|no|cancel|reject)/i.test(decision)) return { action: 'decline' };
  return { action: 'accept', option: decision };
}

/**
 * The pipeline's `confirm` for an MCP tool call. 2025 sessions ask with a
 * server-initiated elicitation; 2026 requests get an `input_required` result
 * (signed state binds the answer to this tool and these arguments) and the
 * retried call carries the answer. A client that cannot ask gets a halt.
 */
export function makeConfirm(call: McpCallContext, tool: string, args: unknown): (q: HaltQuestion) => Promise<ConfirmAnswer> {
  return async (q) => {
    if (canOpenUrl(call)) return { action: 'link' };
    if (!canElicit(call)) return { action: 'unavailable' };
    const { ctx } = call;
    const form = question(q, tool, call);
    if (!isModern(ctx)) {
      let r: { action: string; content?: unknown };
      try {
        r = await ctx.mcpReq.elicitInput({ mode: 'form', ...form } as never, { signal: ctx.mcpReq.signal, timeout: 600_000 });
      } catch (err) {
        if (ctx.mcpReq.signal.aborted) throw new OpError('CANCELED', 'The call was canceled while waiting for confirmation; nothing was done.');
        throw new OpError('CANCELED', `The confirmation could not be completed (${(err as Error).message}); nothing was done.`);
      }
      return interpretAnswer(r.action, r.content, q.options);
    }
    const state = ctx.mcpReq.requestState<ConfirmState>();
    const answer = inputResponse(ctx.mcpReq.inputResponses, KEY);
    if (state && typeof state === 'object' && state.tool === tool && state.args === argsHash(args)) {
      if (answer.kind === 'elicit') return interpretAnswer(answer.action, answer.content, q.options);
      throw new OpError('CANCELED', 'The confirmation answer was not understood, so nothing was done.');
    }
    throw new OpError(INPUT_REQUIRED, 'The user must confirm this call.', { form });
  };
}

/** Turns the INPUT_REQUIRED raised by makeConfirm into the 2026 `input_required` result. */
export async function inputRequiredFor(err: OpError, tool: string, args: unknown, ctx: ServerContext): Promise<InputRequiredResult> {
  const form = (err.details as { form: { message: string; requestedSchema: Record<string, unknown> } }).form;
  return inputRequired({
    inputRequests: { [KEY]: { method: 'elicitation/create', params: { mode: 'form', ...form } } as never },
    requestState: await codec.mint({ tool, args: argsHash(args) }, ctx),
  });
}
