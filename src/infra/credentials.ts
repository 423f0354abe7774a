import type { Kernel } from '../kernel/kernel.js';
import { OpError } from '../kernel/ops/errors.js';
import { INFRA_PROVIDERS, providersOf, type InfraKind, type ProviderInfo } from './catalogue.js';
import { notConfigured } from './errors.js';

interface Stored {
  baseUrl?: string;
  accountId?: string;
  setAt: string;
}

/** Everything needed to build one provider client; holds opened secrets, so it never leaves the service. */
export interface OpenedProvider {
  info: ProviderInfo;
  baseUrl: string;
  token: string;
  secret?: string;
  accountId?: string;
}

const KEY = 'infra.providers';
const tokenName = (id: string) => `infra.${id}.token`;
const secretName = (id: string) => `infra.${id}.secret`;

export function providerInfo(id: string, kind?: InfraKind): ProviderInfo {
  const p = INFRA_PROVIDERS.find((x) => x.id === id && (!kind || x.kinds.includes(kind)));
  if (!p) {
    const valid = kind ? providersOf(kind) : INFRA_PROVIDERS.map((x) => x.id);
    throw new OpError('BAD_INPUT', `Unknown ${kind ? `${kind} ` : ''}provider '${id}'; valid: ${valid.join(', ')}.`, { valid });
  }
  return p;
}

/** Provider tokens live only in the secrets store; base URLs and account ids in settings. */
export class InfraCredentials {
  constructor(private readonly kernel: Kernel) {}

  private stored(): Record<string, Stored> {
    return this.kernel.settings.get<Record<string, Stored>>(KEY, {});
  }

  set(id: string, change: { token?: string; secret?: string; baseUrl?: string; accountId?: string }): void {
    const info = providerInfo(id);
    if (!info.needsToken) {
      if (change.token || change.secret) throw new OpError('BAD_INPUT', `${info.title} takes no apiToken.`);
    }
    const secrets = this.kernel.services.secrets;
    if (info.needsToken && !change.token && !secrets.has(tokenName(id))) {
      throw new OpError('BAD_INPUT', `${info.title} needs a token: pass apiToken (stored encrypted, never shown again).`);
    }
    if (info.needsSecret && !change.secret && !secrets.has(secretName(id))) {
      throw new OpError('BAD_INPUT', `${info.title} needs its secret API key too: pass apiSecret.`);
    }
    if (!info.needsSecret && change.secret) throw new OpError('BAD_INPUT', `${info.title} takes no apiSecret; only porkbun does.`);
    if (!info.usesAccountId && change.accountId) throw new OpError('BAD_INPUT', `${info.title} takes no accountId; only cloudflare does.`);
    if (change.token) secrets.set(tokenName(id), change.token);
    if (change.secret) secrets.set(secretName(id), change.secret);
    const all = this.stored();
    const next: Stored = { ...all[id], setAt: new Date().toISOString() };
    if (change.baseUrl !== undefined) next.baseUrl = change.baseUrl;
    if (change.accountId !== undefined) next.accountId = change.accountId;
    this.kernel.settings.set(KEY, { ...all, [id]: next });
  }

  remove(id: string): boolean {
    providerInfo(id);
    const all = this.stored();
    const had = id in all;
    delete all[id];
    this.kernel.settings.set(KEY, all);
    this.kernel.services.secrets.delete(tokenName(id));
    this.kernel.services.secrets.delete(secretName(id));
    return had;
  }

  /** Configured providers with what may be shown: never a token. */
  list(): { provider: string; title: string; kinds: InfraKind[]; baseUrl?: string; accountId?: string; hasToken: boolean }[] {
    const all = this.stored();
    return INFRA_PROVIDERS.filter((p) => all[p.id]).map((p) => ({
      provider: p.id,
      title: p.title,
      kinds: p.kinds,
      baseUrl: all[p.id].baseUrl ?? p.defaultBaseUrl,
      ...(all[p.id].accountId ? { accountId: all[p.id].accountId } : {}),
      hasToken: this.kernel.services.secrets.has(tokenName(p.id)),
    }));
  }

  configured(id: string): boolean {
    return id in this.stored();
  }

  /** Opens the token for one call. */
  open(id: string, kind: InfraKind): OpenedProvider {
    const info = providerInfo(id, kind);
    const s = this.stored()[id];
    if (!s) throw notConfigured(info.title, `run 'fazt infra providers set --provider ${id} --api-token …'.`);
    const secrets = this.kernel.services.secrets;
    const token = secrets.get(tokenName(id)) ?? '';
    const secret = info.needsSecret ? secrets.get(secretName(id)) : undefined;
    return { info, baseUrl: s.baseUrl ?? info.defaultBaseUrl ?? '', token, secret, accountId: s.accountId };
  }

  /** Every stored token's plaintext, so error messages can be scrubbed of them. */
  tokenValues(): string[] {
    const out: string[] = [];
    for (const p of this.list()) {
      for (const n of [tokenName(p.provider), secretName(p.provider)]) {
        try {
          const v = this.kernel.services.secrets.get(n);
          if (v) out.push(v);
        } catch {
          /* unreadable cannot leak */
        }
      }
    }
    return out;
  }
}
