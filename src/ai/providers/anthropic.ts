import type { AiProvider } from './types.js';

export const anthropicProvider: AiProvider = {
  id: 'anthropic',
  title: 'Anthropic',
  needsKey: true,
  defaultBaseUrl: 'https://api.anthropic.com/v1',
  defaultModel: 'claude-sonnet-4-5',
  async language(s, model) {
    const { createAnthropic } = await import('@ai-sdk/anthropic');
    return createAnthropic({ apiKey: s.apiKey, baseURL: s.baseUrl, fetch: s.fetch })(model);
  },
};
