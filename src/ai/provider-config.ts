import type { Kernel } from '../kernel/kernel.js';
import { OpError } from '../kernel/ops/errors.js';
import { PROVIDERS, providerById } from './providers/index.js';
import type { EmbeddingModel, LanguageModel } from 'ai';
import type { AiProvider, ProviderSettings } from './providers/types.js';

interface StoredProvider {
  baseUrl?: string;
  defaultModel?: string;
}

export interface ConfiguredProvider {
  provider: AiProvider;
  baseUrl: string;
  defaultModel: string;
  hasKey: boolean;
}

const KEY = 'ai.providers';
const DEFAULT_KEY = 'ai.defaultProvider';
const secretName = (id: string) => `ai.${id}.apiKey`;
/** An app's own key for a provider: its calls use it instead of the server's. */
export const appKeyName = (appId: string, id: string) => `ai.app.${appId}.${id}.apiKey`;

/**
 * Which providers the owner set up. Base URLs and models live in settings;
 * keys live only in the secrets store and are opened just before a call.
 */
export class ProviderConfig {
  // Built models and opened keys are kept until the configuration changes:
  // a call then costs no decryption and no client construction.
  private readonly models = new Map<string, Promise<LanguageModel | EmbeddingModel>>();
  private keys: string[] | undefined;

  constructor(private readonly kernel: Kernel) {}

  /** Forgets built models and opened keys: call after any key or setting changes. */
  changed(): void {
    this.models.clear();
    this.keys = undefined;
  }

  /** The language model for a configured provider, built once per (provider, model). */
  model(c: ConfiguredProvider, modelId: string, appId?: string): Promise<LanguageModel> {
    const own = this.ownKeyApp(c, appId);
    const k = `lm\0${c.provider.id}\0${modelId}\0${own ?? ''}`;
    if (!this.models.has(k)) this.models.set(k, c.provider.language(this.open(c, own), modelId));
    return this.models.get(k) as Promise<LanguageModel>;
  }

  embeddingModel(c: ConfiguredProvider, modelId: string, appId?: string): Promise<EmbeddingModel> {
    const build = c.provider.embedding;
    if (!build) throw new OpError('BAD_INPUT', `${c.provider.title} has no embedding models in fazt.`);
    const own = this.ownKeyApp(c, appId);
    const k = `em\0${c.provider.id}\0${modelId}\0${own ?? ''}`;
    if (!this.models.has(k)) this.models.set(k, build(this.open(c, own), modelId));
    return this.models.get(k) as Promise<EmbeddingModel>;
  }

  private stored(): Record<string, StoredProvider> {
    return this.kernel.settings.get<Record<string, StoredProvider>>(KEY, {});
  }

  set(id: string, change: { apiKey?: string; baseUrl?: string; defaultModel?: string; makeDefault?: boolean }): ConfiguredProvider {
    const provider = providerById(id);
    const all = this.stored();
    const next: StoredProvider = { ...all[id] };
    if (change.baseUrl !== undefined) next.baseUrl = change.baseUrl;
    if (change.defaultModel !== undefined) next.defaultModel = change.defaultModel;
    const hasKey = change.apiKey !== undefined || this.kernel.services.secrets.has(secretName(id));
    if (provider.needsKey && !hasKey) {
      throw new OpError('BAD_INPUT', `${provider.title} needs an API key: pass apiKey (it is stored encrypted and never shown again).`);
    }
    if (change.apiKey !== undefined) this.kernel.services.secrets.set(secretName(id), change.apiKey);
    this.kernel.settings.set(KEY, { ...all, [id]: next });
    this.changed();
    if (change.makeDefault || !this.kernel.settings.get<string | null>(DEFAULT_KEY, null)) this.kernel.settings.set(DEFAULT_KEY, id);
    return this.get(id)!;
  }

  remove(id: string): boolean {
    providerById(id);
    const all = this.stored();
    const had = id in all;
    delete all[id];
    this.kernel.settings.set(KEY, all);
    this.kernel.services.secrets.delete(secretName(id));
    this.changed();
    if (this.kernel.settings.get<string | null>(DEFAULT_KEY, null) === id) {
      const rest = Object.keys(all);
      if (rest.length) this.kernel.settings.set(DEFAULT_KEY, rest[0]);
      else this.kernel.settings.delete(DEFAULT_KEY);
    }
    return had;
  }

  get(id: string): ConfiguredProvider | undefined {
    const s = this.stored()[id];
    if (!s) return undefined;
    const provider = providerById(id);
    return {
      provider,
      baseUrl: s.baseUrl ?? provider.defaultBaseUrl,
      defaultModel: s.defaultModel ?? provider.defaultModel,
      hasKey: this.kernel.services.secrets.has(secretName(id)),
    };
  }

  list(): ConfiguredProvider[] {
    return PROVIDERS.map((p) => this.get(p.id)).filter((p): p is ConfiguredProvider => p !== undefined);
  }

  defaultId(): string | undefined {
    return this.kernel.settings.get<string | null>(DEFAULT_KEY, null) ?? undefined;
  }

  /** The provider a call uses: the one asked for (must be configured), else the default. */
  choose(id?: string): ConfiguredProvider | undefined {
    if (id !== undefined) {
      providerById(id);
      const c = this.get(id);
      if (!c) throw new OpError('BAD_INPUT', `The AI provider '${id}' is not configured; configured: ${this.list().map((p) => p.provider.id).join(', ') || 'none'}. Run 'fazt ai providers set --provider ${id} …'.`);
      return c;
    }
    const d = this.defaultId();
    return d ? this.get(d) : undefined;
  }

  /** The app whose own key a call uses, when it has one for this provider. */
  private ownKeyApp(c: ConfiguredProvider, appId: string | undefined): string | undefined {
    return appId && this.kernel.services.secrets.has(appKeyName(appId, c.provider.id)) ? appId : undefined;
  }

  /** Settings with the key opened (the app's own, else the server's), for building one model. Never returned from an op. */
  private open(c: ConfiguredProvider, appId?: string): ProviderSettings {
    const name = appId ? appKeyName(appId, c.provider.id) : secretName(c.provider.id);
    return { apiKey: this.kernel.services.secrets.get(name), baseUrl: c.baseUrl };
  }

  /** Every stored key's plaintext, so the redactor can remove them from outbound text. */
  keyValues(): string[] {
    if (this.keys) return this.keys;
    const out: string[] = [];
    const names = [...this.list().map((c) => secretName(c.provider.id)), ...this.kernel.services.secrets.list('ai.app.').map((s) => s.name)];
    for (const name of names) {
      try {
        const k = this.kernel.services.secrets.get(name);
        if (k) out.push(k);
      } catch {
        /* an unreadable key cannot leak */
      }
    }
    this.keys = out;
    return out;
  }
}
