/** USD per million tokens. Longest matching model-id prefix wins; settings may override. */
export interface Price {
  input: number;
  output: number;
}

export const DEFAULT_PRICES: Record<string, Price> = {
  'claude-opus-4': { input: 15, output: 75 },
  'claude-sonnet-4': { input: 3, output: 15 },
  'claude-haiku-4': { input: 1, output: 5 },
  'claude-3-5-haiku': { input: 0.8, output: 4 },
  'gpt-5-nano': { input: 0.05, output: 0.4 },
  'gpt-5-mini': { input: 0.25, output: 2 },
  'gpt-5': { input: 1.25, output: 10 },
  'gpt-4.1-nano': { input: 0.1, output: 0.4 },
  'gpt-4.1-mini': { input: 0.4, output: 1.6 },
  'gpt-4.1': { input: 2, output: 8 },
  'gpt-4o-mini': { input: 0.15, output: 0.6 },
  'gpt-4o': { input: 2.5, output: 10 },
  'text-embedding-3-small': { input: 0.02, output: 0 },
  'text-embedding-3-large': { input: 0.13, output: 0 },
  'gemini-2.5-pro': { input: 1.25, output: 10 },
  'gemini-2.5-flash-lite': { input: 0.1, output: 0.4 },
  'gemini-2.5-flash': { input: 0.3, output: 2.5 },
  'gemini-embedding-001': { input: 0.15, output: 0 },
};

/** A self-hosted provider costs nothing per token. */
const FREE_PROVIDERS = new Set(['ollama']);

export function priceFor(provider: string, model: string, overrides: Record<string, Price> = {}): Price | null {
  if (FREE_PROVIDERS.has(provider)) return { input: 0, output: 0 };
  const table = { ...DEFAULT_PRICES, ...overrides };
  let best: string | undefined;
  for (const prefix of Object.keys(table)) if (model.startsWith(prefix) && (!best || prefix.length > best.length)) best = prefix;
  return best ? table[best] : null;
}

export function costUsd(price: Price | null, inputTokens: number, outputTokens: number): number {
  if (!price) return 0;
  return Math.round(((inputTokens * price.input + outputTokens * price.output) / 1e6) * 1e8) / 1e8;
}
