import type { AiProvider, ProviderSettings } from './types.js';

async function client(s: ProviderSettings) {
  const { createOpenAI } = await import('@ai-sdk/openai');
  return createOpenAI({ apiKey: s.apiKey, baseURL: s.baseUrl, fetch: s.fetch });
}

/** Chat Completions (`.chat`), the API every OpenAI-style gateway also speaks. */
export const openaiProvider: AiProvider = {
  id: 'openai',
  title: 'OpenAI',
  needsKey: true,
  defaultBaseUrl: 'https://api.openai.com/v1',
  defaultModel: 'gpt-4.1-mini',
  defaultEmbeddingModel: 'text-embedding-3-small',
  language: async (s, model) => (await client(s)).chat(model),
  embedding: async (s, model) => (await client(s)).embedding(model),
};
