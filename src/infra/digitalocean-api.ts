import { pollAction } from './vps/actions.js';
import { ProviderHttp } from './http.js';
import { insufficientFunds, quotaExceeded } from './errors.js';
import type { ProviderContext } from './hetzner-api.js';

/**
 * The DigitalOcean API v2: bearer token, errors as {id, message}, pages via
 * links.pages.next, droplet work as actions polled at /actions/{id}.
 */
export class DigitalOceanApi {
  readonly http: ProviderHttp;

  constructor(private readonly ctx: ProviderContext) {
    this.http = new ProviderHttp({
      provider: 'digitalocean',
      baseUrl: ctx.baseUrl,
      headers: { authorization: `Bearer ${ctx.token}` },
      secrets: [ctx.token],
      rateLimits: ctx.rateLimits,
      signal: ctx.signal,
      messageOf: (b) => b?.message,
      classify: (status, b) => {
        const msg = String(b?.message ?? '');
        if (status === 402 || /insufficient funds|payment/i.test(msg)) return insufficientFunds('digitalocean', msg);
        if (/limit/i.test(msg) && (status === 403 || status === 422)) return quotaExceeded('digitalocean', msg);
        return undefined;
      },
    });
  }

  async all<T>(path: string, key: string, query: Record<string, string | number | undefined> = {}): Promise<T[]> {
    const out: T[] = [];
    let next: string | null = this.http.url(path, { ...query, per_page: 200 });
    while (next) {
      const r: { body: any } = await this.http.request<any>('GET', next);
      out.push(...((r.body?.[key] ?? []) as T[]));
      next = r.body?.links?.pages?.next ?? null;
    }
    return out;
  }

  async waitAction(actionId: number | undefined, what: string): Promise<void> {
    if (actionId === undefined) return;
    await pollAction('digitalocean', what, async () => {
      const r = await this.http.request<any>('GET', `/actions/${actionId}`);
      const a = r.body.action;
      if (a.status === 'completed') return 'done';
      if (a.status === 'errored') return { failed: `action ${a.type ?? ''} errored` };
      return 'running';
    }, { signal: this.ctx.signal });
  }
}
