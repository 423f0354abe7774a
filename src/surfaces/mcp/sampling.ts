import type { SampleFn } from '../../kernel/ops/define.js';
import { OpError } from '../../kernel/ops/errors.js';
import type { McpCallContext } from './catalog.js';
import { isModern } from './confirm.js';

/**
 * The calling client's own model, through `sampling/createMessage`. Only 2025
 * sessions whose client declared sampling can lend one (the 2026 protocol
 * deprecates it); elsewhere there is none and AI ops say how to configure a provider.
 */
export function makeSample(call: McpCallContext): SampleFn | undefined {
  const { ctx, server } = call;
  if (isModern(ctx) || !server.getClientCapabilities()?.sampling) return undefined;
  return async (req) => {
    let r: { model: string; content: unknown };
    try {
      r = (await ctx.mcpReq.requestSampling(
        {
          systemPrompt: req.system,
          maxTokens: req.maxTokens,
          messages: req.messages.filter((m) => m.role !== 'system').map((m) => ({ role: m.role as 'user' | 'assistant', content: { type: 'text' as const, text: m.content } })),
        },
        { signal: ctx.mcpReq.signal, timeout: 120_000 },
      )) as { model: string; content: unknown };
    } catch (err) {
      throw new OpError('AI_PROVIDER_ERROR', `The client's model did not answer (${(err as Error).message}).`, { provider: 'client', status: null });
    }
    const parts = Array.isArray(r.content) ? r.content : [r.content];
    const text = parts.map((p) => ((p as { type?: string; text?: string }).type === 'text' ? (p as { text: string }).text : '')).join('');
    return { text, model: r.model };
  };
}

/** Streamed text as progress notifications, for clients that sent a progress token. */
export function makeTextProgress(call: McpCallContext): ((delta: string) => void) | undefined {
  const token = call.ctx.mcpReq._meta?.progressToken;
  if (token === undefined) return undefined;
  let n = 0;
  return (delta) => {
    void call.ctx.mcpReq.notify({ method: 'notifications/progress', params: { progressToken: token, progress: ++n, message: delta } }).catch(() => {});
  };
}
