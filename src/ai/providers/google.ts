import type { AiProvider, ProviderSettings } from './types.js';

async function client(s: ProviderSettings) {
  const { createGoogleGenerativeAI } = await import('@ai-sdk/google');
  return createGoogleGenerativeAI({ apiKey: s.apiKey, baseURL: s.baseUrl, fetch: s.fetch });
}

export const googleProvider: AiProvider = {
  id: 'google',
  title: 'Google Gemini',
  needsKey: true,
  defaultBaseUrl: 'https://generativelanguage.googleapis.com/v1beta',
  defaultModel: 'gemini-2.5-flash',
  defaultEmbeddingModel: 'gemini-embedding-001',
  language: async (s, model) => (await client(s))(model),
  embedding: async (s, model) => (await client(s)).embedding(model),
};
