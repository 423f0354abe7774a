import { z } from 'zod';
import { defineOp } from '../../kernel/ops/define.js';
import type { ConfiguredProvider } from '../provider-config.js';
import { PROVIDER_IDS } from '../providers/index.js';

const providerInfo = z.object({
  provider: z.string(),
  title: z.string(),
  baseUrl: z.string(),
  defaultModel: z.string(),
  hasKey: z.boolean(),
  isDefault: z.boolean(),
  reachable: z.boolean().optional(),
  error: z.string().optional(),
});

function info(c: ConfiguredProvider, defaultId: string | undefined): z.infer<typeof providerInfo> {
  return { provider: c.provider.id, title: c.provider.title, baseUrl: c.baseUrl, defaultModel: c.defaultModel, hasKey: c.hasKey, isDefault: c.provider.id === defaultId };
}

/** Reachable means the base URL answers HTTP at all; a key is only checked by a real call. */
async function reachable(baseUrl: string): Promise<{ reachable: boolean; error?: string }> {
  try {
    await fetch(baseUrl, { method: 'GET', signal: AbortSignal.timeout(3_000) });
    return { reachable: true };
  } catch (err) {
    return { reachable: false, error: (err as { cause?: { code?: string } }).cause?.code ?? (err as Error).message };
  }
}

export const aiProvidersList = defineOp({
  name: 'ai.providers.list',
  title: 'List AI providers',
  description: 'The configured AI providers: base URL, default model, whether a key is stored (never the key), which is the default, and with check=true whether each answers.',
  input: z.object({ check: z.boolean().default(false).describe('Also try to reach each provider') }),
  output: z.object({ providers: z.array(providerInfo), known: z.array(z.string()) }),
  requires: 'kernel:ai:read',
  risk: 'read',
  cli: { command: ['ai', 'providers', 'list'] },
  handler: async ({ kernel }, input) => {
    const cfg = kernel.services.ai.providers;
    const d = cfg.defaultId();
    const providers = await Promise.all(cfg.list().map(async (c) => ({ ...info(c, d), ...(input.check ? await reachable(c.baseUrl) : {}) })));
    return { providers, known: [...PROVIDER_IDS] };
  },
});

export const aiProvidersSet = defineOp({
  name: 'ai.providers.set',
  title: 'Configure an AI provider',
  description: 'Adds or changes an AI provider: its API key (stored encrypted, never shown again), base URL (a gateway or a self-hosted Ollama) and default model. The first provider set becomes the default.',
  input: z.object({
    provider: z.enum(PROVIDER_IDS),
    apiKey: z.string().min(1).max(500).optional(),
    baseUrl: z.url({ protocol: /^https?$/ }).optional(),
    defaultModel: z.string().min(1).max(200).optional(),
    makeDefault: z.boolean().optional().describe('Use this provider when a call names none'),
  }),
  output: providerInfo,
  requires: 'kernel:ai:write',
  risk: 'write',
  cli: { command: ['ai', 'providers', 'set'] },
  handler: ({ kernel }, input) => {
    const cfg = kernel.services.ai.providers;
    const c = cfg.set(input.provider, input);
    return info(c, cfg.defaultId());
  },
});

export const aiProvidersRemove = defineOp({
  name: 'ai.providers.remove',
  title: 'Remove an AI provider',
  description: 'Forgets an AI provider and deletes its stored key.',
  input: z.object({ provider: z.enum(PROVIDER_IDS) }),
  output: z.object({ removed: z.boolean() }),
  requires: 'kernel:ai:write',
  risk: 'write',
  cli: { command: ['ai', 'providers', 'remove'], positional: ['provider'] },
  handler: ({ kernel }, input) => ({ removed: kernel.services.ai.providers.remove(input.provider) }),
});
