import { insufficientFunds, providerError } from '../errors.js';
import { ProviderHttp } from '../http.js';
import type { RateLimits } from '../rate-limits.js';
import type { DomainCheck, DomainInfo, DomainProvider } from './types.js';

export interface PorkbunContext {
  baseUrl: string;
  apiKey: string;
  secretKey: string;
  rateLimits: RateLimits;
  signal?: AbortSignal;
}

const PAGE = 1000;

/**
 * Porkbun API v3: every call is a POST carrying the key pair; prices are USD
 * strings, and create wants the cost in cents so a moved price is refused.
 */
export function porkbunDomains(ctx: PorkbunContext): DomainProvider {
  const http = new ProviderHttp({
    provider: 'porkbun',
    baseUrl: ctx.baseUrl,
    headers: {},
    secrets: [ctx.apiKey, ctx.secretKey],
    rateLimits: ctx.rateLimits,
    signal: ctx.signal,
    messageOf: (b) => b?.message,
    classify: (status, b) => (/insufficient funds|balance|credit/i.test(String(b?.message ?? '')) ? insufficientFunds('porkbun', b.message) : undefined),
  });
  const call = async (path: string, body: Record<string, unknown> = {}) => {
    const r = await http.request<any>('POST', path, { secretapikey: ctx.secretKey, apikey: ctx.apiKey, ...body });
    if (r.body?.status !== 'SUCCESS') throw providerError('porkbun', r.status, r.body?.message ?? 'unexpected answer');
    return r.body;
  };
  const listAll = async (): Promise<DomainInfo[]> => {
    const out: DomainInfo[] = [];
    for (let start = 0; ; start += PAGE) {
      const b = await call('/domain/listAll', { start: String(start), includeLabels: 'no' });
      const page = (b.domains ?? []) as any[];
      out.push(...page.map((d) => ({ domain: d.domain, status: String(d.status ?? '').toLowerCase(), expiresAt: d.expireDate ?? null, autoRenew: d.autoRenew === undefined ? null : String(d.autoRenew) === '1', createdAt: d.createDate ?? null })));
      if (page.length < PAGE) return out;
    }
  };
  return {
    id: 'porkbun',
    terms: [1],
    async check(domain) {
      const b = await call(`/domain/checkDomain/${encodeURIComponent(domain)}`);
      const r = b.response ?? {};
      const available = r.avail === 'yes';
      const c: DomainCheck = {
        domain,
        available,
        price: r.price !== undefined ? Number(r.price) : null,
        renewal: r.additional?.renewal?.price !== undefined ? Number(r.additional.renewal.price) : null,
        currency: 'USD',
        premium: r.premium === 'yes',
      };
      if (!available) c.reason = 'domain_unavailable';
      return c;
    },
    async register(domain, years, quote, opts) {
      const cents = Math.round((quote.price ?? 0) * 100);
      const b = await call(`/domain/create/${encodeURIComponent(domain)}`, { cost: cents, agreeToTerms: 'yes', ...(opts.dryRun ? { dryRun: true } : {}) });
      return { domain, years, price: (b.cost ?? cents) / 100, currency: 'USD', status: opts.dryRun ? 'dry-run passed' : 'registered', ...(b.orderId !== undefined ? { orderId: String(b.orderId) } : {}), dryRun: opts.dryRun };
    },
    list: listAll,
    async get(domain) {
      return (await listAll()).find((d) => d.domain === domain) ?? null;
    },
  };
}
