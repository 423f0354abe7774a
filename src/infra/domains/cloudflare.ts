import { cf, cloudflareClient } from '../cloudflare-api.js';
import { notConfigured, providerError } from '../errors.js';
import type { ProviderContext } from '../hetzner-api.js';
import { pollAction } from '../vps/actions.js';
import type { DomainInfo, DomainProvider } from './types.js';

const REASONS: Record<string, string> = {
  extension_not_supported_via_api: 'Cloudflare registers this extension only in its dashboard, not through the API',
  extension_not_supported: 'Cloudflare Registrar does not offer this extension',
  extension_disallows_registration: "the extension's registry is not taking registrations",
  domain_premium: 'the domain is premium priced, which the API cannot register',
  domain_unavailable: 'the domain is taken or reserved',
};

function info(r: any): DomainInfo {
  return { domain: r.domain_name ?? r.name, status: r.status ?? 'unknown', expiresAt: r.expires_at ?? null, autoRenew: r.auto_renew ?? null, createdAt: r.created_at ?? null };
}

/** Cloudflare Registrar through the SDK: domain-check for price, registrations as workflows polled to the end. */
export function cloudflareDomains(ctx: ProviderContext & { accountId?: string }): DomainProvider {
  const client = cloudflareClient(ctx);
  const account = () => {
    if (!ctx.accountId) throw notConfigured('Cloudflare Registrar', "it works per account: run 'fazt infra providers set --provider cloudflare --account-id …'.");
    return ctx.accountId;
  };
  return {
    id: 'cloudflare',
    terms: [1],
    async check(domain) {
      const r = await cf(ctx, () => client.registrar.check({ account_id: account(), domains: [domain] }));
      const d = r.domains.find((x) => x.name === domain) ?? r.domains[0];
      if (!d) throw providerError('cloudflare', 200, `no answer for ${domain}`);
      return {
        domain,
        available: d.registrable,
        price: d.pricing ? Number(d.pricing.registration_cost) : null,
        renewal: d.pricing ? Number(d.pricing.renewal_cost) : null,
        currency: d.pricing?.currency ?? null,
        premium: d.tier === 'premium',
        ...(d.reason ? { reason: REASONS[d.reason] ?? d.reason } : {}),
      };
    },
    async register(domain, years, quote, opts) {
      if (opts.dryRun) return { domain, years, price: quote.price ?? 0, currency: quote.currency ?? 'USD', status: 'dry-run: checked, not registered', dryRun: true };
      const accountId = account();
      let w: any = await cf(ctx, () => client.registrar.registrations.create({ account_id: accountId, domain_name: domain, auto_renew: false, years } as any));
      await pollAction('cloudflare', `registering ${domain}`, async () => {
        if (w.state === 'succeeded') return 'done';
        if (w.state === 'failed') return { failed: w.error?.message ?? 'failed' };
        if (w.state === 'action_required') return { failed: `Cloudflare needs you: ${JSON.stringify(w.context?.action ?? 'see the dashboard')}` };
        w = await cf(ctx, () => client.registrar.registrationStatus.get(domain, { account_id: accountId }));
        return w.state === 'succeeded' ? 'done' : 'running';
      }, { signal: ctx.signal });
      return { domain, years, price: quote.price ?? 0, currency: quote.currency ?? 'USD', status: 'registered', dryRun: false };
    },
    async list() {
      const out: DomainInfo[] = [];
      await cf(ctx, async () => {
        out.length = 0;
        for await (const r of client.registrar.registrations.list({ account_id: account() })) out.push(info(r));
      });
      return out;
    },
    async get(domain) {
      try {
        return info(await cf(ctx, () => client.registrar.registrations.get(domain, { account_id: account() })));
      } catch (err) {
        if ((err as { details?: { status?: number } }).details?.status === 404) return null;
        throw err;
      }
    },
  };
}
