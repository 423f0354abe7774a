import type { Kernel } from '../../kernel/kernel.js';
import type { Caller, SampleFn } from '../../kernel/ops/define.js';
import { toOpError } from '../../kernel/ops/errors.js';

const SYSTEM = [
  "You are fazt's health assistant. Answer the owner's question about their server from the CONTEXT only.",
  'Cite the metrics, issues and events you rely on by their names as written (e.g. http.p99, app.errors:shop).',
  'If the context does not hold the answer, say so plainly. Two to five sentences, no preamble.',
].join(' ');

export interface ModelAnswer {
  text: string;
  /** `provider/model`, or `client/<model>` when the MCP client lent its model. */
  model: string;
}

/** True when a model could answer: a configured provider, or a client that lends its own. */
export function modelAvailable(kernel: Kernel, sample: SampleFn | undefined): boolean {
  return kernel.services.ai.configured() || sample !== undefined;
}

/**
 * Asks a model to answer from the same labelled context the rule answer uses.
 * Returns the reason instead when the model fails, so the caller can fall back.
 */
export async function askModel(kernel: Kernel, caller: Caller, context: string, sample: SampleFn | undefined, signal?: AbortSignal): Promise<ModelAnswer | { failed: string }> {
  try {
    const r = await kernel.services.ai.complete({ system: SYSTEM, prompt: context, maxTokens: 400, temperature: 0 }, { caller, sample, signal, timeoutMs: 10_000 });
    if (!r.text?.trim()) return { failed: 'the model returned no text' };
    return { text: r.text.trim(), model: `${r.provider}/${r.model}` };
  } catch (err) {
    return { failed: toOpError(err).message };
  }
}
