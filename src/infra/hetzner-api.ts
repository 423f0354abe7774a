import { pollAction } from './vps/actions.js';
import { ProviderHttp } from './http.js';
import { quotaExceeded, insufficientFunds } from './errors.js';
import type { RateLimits } from './rate-limits.js';

export interface ProviderContext {
  baseUrl: string;
  token: string;
  rateLimits: RateLimits;
  signal?: AbortSignal;
}

/**
 * The Hetzner Cloud API (servers and DNS zones share it): bearer token, errors as
 * {error:{code,message}}, pages via meta.pagination.next_page, long work as actions.
 */
export class HetznerApi {
  readonly http: ProviderHttp;

  constructor(private readonly ctx: ProviderContext) {
    this.http = new ProviderHttp({
      provider: 'hetzner',
      baseUrl: ctx.baseUrl,
      headers: { authorization: `Bearer ${ctx.token}` },
      secrets: [ctx.token],
      rateLimits: ctx.rateLimits,
      signal: ctx.signal,
      messageOf: (b) => b?.error?.message,
      classify: (status, b) => {
        const code = b?.error?.code;
        if (code === 'resource_limit_exceeded') return quotaExceeded('hetzner', b.error.message);
        if (code === 'insufficient_funds' || code === 'payment_required') return insufficientFunds('hetzner', b.error.message);
        return undefined;
      },
    });
  }

  /** Every page of a list endpoint, concatenated. */
  async all<T>(path: string, key: string, query: Record<string, string | number | undefined> = {}): Promise<T[]> {
    const out: T[] = [];
    let page: number | null = 1;
    while (page) {
      const r: { body: any } = await this.http.request<any>('GET', path, undefined, { ...query, page, per_page: 50 });
      out.push(...((r.body?.[key] ?? []) as T[]));
      page = r.body?.meta?.pagination?.next_page ?? null;
    }
    return out;
  }

  async waitAction(action: { id: number } | undefined, what: string): Promise<void> {
    if (!action) return;
    await pollAction('hetzner', what, async () => {
      const r = await this.http.request<any>('GET', `/actions/${action.id}`);
      const a = r.body.action;
      if (a.status === 'success') return 'done';
      if (a.status === 'error') return { failed: a.error?.message ?? a.error?.code ?? 'error' };
      return 'running';
    }, { signal: this.ctx.signal });
  }
}
