import { OpError } from '../../kernel/ops/errors.js';
import { anthropicProvider } from './anthropic.js';
import { googleProvider } from './google.js';
import { ollamaProvider } from './ollama.js';
import { openaiProvider } from './openai.js';
import type { AiProvider } from './types.js';

/** Every provider fazt knows. Adding one is a file and a line here. */
export const PROVIDERS: readonly AiProvider[] = [anthropicProvider, openaiProvider, googleProvider, ollamaProvider];
export const PROVIDER_IDS = PROVIDERS.map((p) => p.id) as [string, ...string[]];

export function providerById(id: string): AiProvider {
  const p = PROVIDERS.find((x) => x.id === id);
  if (!p) throw new OpError('BAD_INPUT', `Unknown AI provider '${id}'; known providers: ${PROVIDER_IDS.join(', ')}.`);
  return p;
}
