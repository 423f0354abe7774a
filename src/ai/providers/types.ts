import type { EmbeddingModel, LanguageModel } from 'ai';

/** What a provider needs to build a model: the key is decrypted only for this. */
export interface ProviderSettings {
  apiKey?: string;
  baseUrl?: string;
  fetch?: typeof fetch;
}

/**
 * One AI provider behind the shared interface. It only builds models from
 * settings; choosing, budgets, redaction and usage are the service's job.
 */
export interface AiProvider {
  id: string;
  title: string;
  /** Hosted providers need a key; self-hosted ones (Ollama) do not. */
  needsKey: boolean;
  defaultBaseUrl: string;
  defaultModel: string;
  defaultEmbeddingModel?: string;
  /** SDKs are imported on first use, so a server that never calls a model never loads them. */
  language(settings: ProviderSettings, modelId: string): Promise<LanguageModel>;
  embedding?(settings: ProviderSettings, modelId: string): Promise<EmbeddingModel>;
}
