import { createHash, randomBytes } from 'node:crypto';
import {
  CLIENT_CAPABILITIES_META_KEY,
  createRequestStateCodec,
  inputRequired,
  inputResponse,
  type InputRequiredResult,
  type ServerContext,
} from '@modelcontextprotocol/server';
import type { ConfirmAnswer, HaltQuestion } from '../../kernel/ops/define.js';
import { OpError } from '../../kernel/ops/errors.js';
import type { McpCallContext } from './catalog.js';

/** Key under which the confirmation travels in `inputRequests` / `inputResponses`. */
const KEY = 'confirm';
/** Raised inside the pipeline's halt gate when a 2026-era client must be asked first. */
export const INPUT_REQUIRED = 'INPUT_REQUIRED';

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
