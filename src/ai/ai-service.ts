import type { ModelMessage } from 'ai';
import type { Kernel } from '../kernel/kernel.js';
import type { Caller, SampleFn } from '../kernel/ops/define.js';
import { OpError } from '../kernel/ops/errors.js';
import { wholeSetting } from '../kernel/whole-setting.js';
import { checkBudget } from './budget.js';
import { costUsd, priceFor, type Price } from './pricing.js';
import { ProviderConfig } from './provider-config.js';
import { providerError } from './provider-errors.js';
import { redactOutbound } from './redact-outbound.js';
import { UsageStore } from './usage-store.js';
import { AppAi } from './apps/app-ai.js';

export interface Message {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export interface CompleteRequest {
  prompt?: string;
  messages?: Message[];
  system?: string;
  model?: string;
  provider?: string;
  maxTokens?: number;
  temperature?: number;
  /** A JSON Schema the answer must satisfy; the result is then `object`. */
  json?: Record<string, unknown>;
}

export interface CompleteResult {
  text?: string;
  object?: unknown;
  model: string;
  provider: string;
  usage: { inputTokens: number; outputTokens: number };
  costUsd: number;
  ms: number;
}


export interface CallOptions {
  caller: Caller;
  signal?: AbortSignal;
  /** Text as it arrives; asking for it makes the call stream. */
  onText?: (delta: string) => void;
  sample?: SampleFn;
  /** The app's own daily cap when an app is calling. */
  appDailyUsd?: number;
  /** Give up sooner than the default two minutes (pulse answers wait at most 10 s). */
  timeoutMs?: number;
}

export const DEFAULT_MAX_PROMPT_CHARS = 200_000;
export const PRICES_KEY = 'ai.prices';
export const REDACT_KEY = 'ai.redact';
const TIMEOUT_MS = 120_000;

/**
 * The one way fazt reaches a model: provider choice, budget, redaction of
 * everything sent, usage and cost recorded for every call.
 */
export class AiService {
  readonly providers: ProviderConfig;
  readonly usage: UsageStore;
  /** fazt.ai for app code: grants, per-app keys and budgets. */
  readonly apps: AppAi;

  constructor(private readonly kernel: Kernel) {
    this.providers = new ProviderConfig(kernel);
    this.usage = new UsageStore(kernel.db);
    this.apps = new AppAi(kernel);
  }

  maxPromptChars(): number {
    return wholeSetting(this.kernel.config.extra, 'ai.maxPromptChars', DEFAULT_MAX_PROMPT_CHARS);
  }

  private prices(): Record<string, Price> {
    return this.kernel.settings.get<Record<string, Price>>(PRICES_KEY, {});
  }

  private redactOptions(): { emails: boolean; ips: boolean; secrets: string[] } {
    const r = this.kernel.settings.get<{ emails?: boolean; ips?: boolean }>(REDACT_KEY, {});
    return { emails: r.emails ?? false, ips: r.ips ?? false, secrets: this.providers.keyValues() };
  }

  /** True when a call could be answered by a configured provider. */
  configured(): boolean {
    return this.providers.defaultId() !== undefined;
  }

  async complete(req: CompleteRequest, opts: CallOptions): Promise<CompleteResult> {
    const messages: Message[] = req.messages ?? (req.prompt !== undefined ? [{ role: 'user', content: req.prompt }] : []);
    if (!messages.length) throw new OpError('BAD_INPUT', 'Give a prompt or messages.');
    const size = (req.system?.length ?? 0) + messages.reduce((n, m) => n + m.content.length, 0);
    const limit = this.maxPromptChars();
    if (size > limit) throw new OpError('TOO_LARGE', `The prompt is ${size} characters; the limit is ${limit} (ai.maxPromptChars).`, { limit, size });

    const chosen = this.providers.choose(req.provider);
    const red = this.redactOptions();
    const clean = (s: string) => redactOutbound(s, red);
    const system = req.system === undefined ? undefined : clean(req.system);
    const safe = messages.map((m) => ({ ...m, content: clean(m.content) }));
    const started = performance.now();

    if (!chosen) {
      if (!opts.sample) throw notConfigured();
      if (req.json) throw new OpError('AI_NOT_CONFIGURED', "Structured answers need a configured provider: run 'fazt ai providers set'.");
      const r = await opts.sample({ system, messages: safe, maxTokens: req.maxTokens ?? 1024 });
      return { text: r.text, model: r.model, provider: 'client', usage: { inputTokens: 0, outputTokens: 0 }, costUsd: 0, ms: Math.round(performance.now() - started) };
    }

    const provider = chosen.provider.id;
    const model = req.model ?? chosen.defaultModel;
    checkBudget(this.kernel, this.usage, opts.caller.appId, opts.appDailyUsd);
    const lm = await this.providers.model(chosen, model, opts.caller.appId);
    const { generateText, jsonSchema, Output, streamText } = await import('ai');
    const call = {
      model: lm,
      system,
      messages: safe.filter((m) => m.role !== 'system') as ModelMessage[],
      maxOutputTokens: req.maxTokens,
      temperature: req.temperature,
      maxRetries: 0,
      abortSignal: opts.signal,
      timeout: opts.timeoutMs ?? TIMEOUT_MS,
    };
    const price = priceFor(provider, model, this.prices());
    const record = (inputTokens: number, outputTokens: number, outcome: 'ok' | 'error') => {
      const cost = outcome === 'ok' ? costUsd(price, inputTokens, outputTokens) : 0;
      this.usage.record({ provider, model, appId: opts.caller.appId ?? null, caller: opts.caller.name, kind: 'complete', inputTokens, outputTokens, costUsd: cost, ms: performance.now() - started, outcome });
      return cost;
    };
    try {
      let text: string | undefined;
      let object: unknown;
      let usage: { inputTokens?: number; outputTokens?: number };
      if (req.json) {
        const r = await generateText({ ...call, output: Output.object({ schema: jsonSchema(req.json as never) }) });
        object = r.output;
        usage = r.usage;
      } else if (opts.onText) {
        const r = streamText({ ...call, onError: () => {} });
        text = '';
        usage = {};
        for await (const part of r.fullStream) {
          if (part.type === 'text-delta') {
            text += part.text;
            opts.onText(part.text);
          } else if (part.type === 'error') throw part.error;
          else if (part.type === 'finish') usage = part.totalUsage;
        }
      } else {
        const r = await generateText(call);
        text = r.text;
        usage = r.usage;
      }
      const inputTokens = usage.inputTokens ?? 0;
      const outputTokens = usage.outputTokens ?? 0;
      const cost = record(inputTokens, outputTokens, 'ok');
      return { ...(req.json ? { object } : { text }), model, provider, usage: { inputTokens, outputTokens }, costUsd: cost, ms: Math.round(performance.now() - started) };
    } catch (err) {
      // A failed call is recorded with no tokens: nothing partial is billed.
      record(0, 0, 'error');
      throw providerError(provider, err, red.secrets);
    }
  }

  async embed(texts: string[], opts: CallOptions & { provider?: string; model?: string }): Promise<{ vectors: number[][]; dimensions: number; model: string; provider: string; usage: { tokens: number }; costUsd: number }> {
    const chosen = this.providers.choose(opts.provider);
    if (!chosen) throw notConfigured();
    const p = chosen.provider;
    if (!p.embedding) throw new OpError('BAD_INPUT', `${p.title} has no embedding models in fazt; use one of: openai, google, ollama.`);
    const model = opts.model ?? p.defaultEmbeddingModel!;
    const limit = this.maxPromptChars();
    const size = texts.reduce((n, t) => n + t.length, 0);
    if (size > limit) throw new OpError('TOO_LARGE', `The texts are ${size} characters; the limit is ${limit} (ai.maxPromptChars).`, { limit, size });
    checkBudget(this.kernel, this.usage, opts.caller.appId, opts.appDailyUsd);
    const red = this.redactOptions();
    const started = performance.now();
    try {
      const { embedMany } = await import('ai');
      const r = await embedMany({ model: await this.providers.embeddingModel(chosen, model, opts.caller.appId), values: texts.map((t) => redactOutbound(t, red)), maxRetries: 0, abortSignal: opts.signal });
      const tokens = r.usage.tokens ?? 0;
      const cost = costUsd(priceFor(p.id, model, this.prices()), tokens, 0);
      this.usage.record({ provider: p.id, model, appId: opts.caller.appId ?? null, caller: opts.caller.name, kind: 'embed', inputTokens: tokens, outputTokens: 0, costUsd: cost, ms: performance.now() - started, outcome: 'ok' });
      return { vectors: r.embeddings, dimensions: r.embeddings[0]?.length ?? 0, model, provider: p.id, usage: { tokens }, costUsd: cost };
    } catch (err) {
      this.usage.record({ provider: p.id, model, appId: opts.caller.appId ?? null, caller: opts.caller.name, kind: 'embed', inputTokens: 0, outputTokens: 0, costUsd: 0, ms: performance.now() - started, outcome: 'error' });
      throw providerError(p.id, err, red.secrets);
    }
  }
}

export function notConfigured(): OpError {
  return new OpError(
    'AI_NOT_CONFIGURED',
    "No AI provider is configured and this client cannot lend its model (sampling). Run 'fazt ai providers set --provider anthropic --api-key …' (or openai, google, ollama).",
  );
}
