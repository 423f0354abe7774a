import type { AiProvider, ProviderSettings } from './types.js';

const DEFAULT_URL = 'http://127.0.0.1:11434/v1';

async function client(s: ProviderSettings) {
  const { createOpenAICompatible } = await import('@ai-sdk/openai-compatible');
  return createOpenAICompatible({ name: 'ollama', baseURL: s.baseUrl ?? DEFAULT_URL, apiKey: s.apiKey, includeUsage: true, fetch: s.fetch });
}

/** Ollama through its OpenAI-compatible API (`<host>:11434/v1`); no key, usage included in streams. */
export const ollamaProvider: AiProvider = {
  id: 'ollama',
  title: 'Ollama',
  needsKey: false,
  defaultBaseUrl: DEFAULT_URL,
  defaultModel: 'llama3.2',
  defaultEmbeddingModel: 'nomic-embed-text',
  language: async (s, model) => (await client(s)).chatModel(model),
  embedding: async (s, model) => (await client(s)).embeddingModel(model),
};
