import { z } from 'zod';
import type { Kernel } from '../../kernel/kernel.js';
import { defineOp } from '../../kernel/ops/define.js';
import { OpError } from '../../kernel/ops/errors.js';
import { providersOf } from '../catalogue.js';
import type { DomainCheck } from '../domains/types.js';
import { READ, WRITE, domainName } from './common.js';

const domainProvider = z.enum(providersOf('domains') as [string, ...string[]]);
const checkSchema = z.object({ domain: z.string(), provider: z.string(), available: z.boolean(), price: z.number().nullable(), renewal: z.number().nullable(), currency: z.string().nullable(), premium: z.boolean(), reason: z.string().optional() });
const infoSchema = z.object({ domain: z.string(), status: z.string(), expiresAt: z.string().nullable(), autoRenew: z.boolean().nullable(), createdAt: z.string().nullable() });

/** The whole price of a term: the first year, then renewals. */
export function termPrice(q: DomainCheck, years: number): number | null {
  if (q.price === null) return null;
  return Math.round((q.price + (years - 1) * (q.renewal ?? q.price)) * 100) / 100;
}

/** The most an approval pays: maxPrice, else the last quote's term price; `quoted` when that is the quote itself. */
function approvedLimit(kernel: Kernel, provider: string, i: { domain: string; years: number; maxPrice?: number }): { limit: number; currency: string | null; quoted: boolean } | null {
  const q = kernel.services.infra.knownQuote(provider, i.domain);
  const total = q ? termPrice(q, i.years) : null;
  if (i.maxPrice !== undefined) return { limit: i.maxPrice, currency: q?.currency ?? null, quoted: total === i.maxPrice };
  return total !== null ? { limit: total, currency: q!.currency, quoted: true } : null;
}

export const infraDomainCheck = defineOp({
  name: 'infra.domain.check',
  title: 'Check a domain',
  description: 'Whether a domain can be registered, and its first-year and renewal price, from the registrar (cloudflare or porkbun).',
  input: z.object({ domain: domainName, provider: domainProvider.optional() }),
  output: checkSchema,
  requires: READ,
  risk: 'read',
  openWorld: true,
  cli: { command: ['infra', 'domain', 'check'], positional: ['domain'] },
  handler: async ({ kernel, signal }, input) => {
    const infra = kernel.services.infra;
    const provider = infra.choose('domains', input.provider);
    const q = await infra.domains(provider, signal).check(input.domain);
    infra.rememberQuote(provider, q);
    return { ...q, provider };
  },
});

/** The registrar's answer now: it can register the domain for that term, and at what whole price. */
async function quote(kernel: Kernel, i: { domain: string; years: number; provider?: string }, signal?: AbortSignal) {
  const infra = kernel.services.infra;
  const provider = infra.choose('domains', i.provider);
  const registrar = infra.domains(provider, signal);
  if (!registrar.terms.includes(i.years)) throw new OpError('BAD_INPUT', `${provider} registers for ${registrar.terms.join(' or ')} year(s) through its API, not ${i.years}.`, { valid: registrar.terms });
  const q = await registrar.check(i.domain);
  infra.rememberQuote(provider, q);
  if (!q.available) throw new OpError('BAD_INPUT', `${i.domain} cannot be registered at ${provider}: ${q.reason ?? 'not available'}.`, { reason: q.reason });
  const now = termPrice(q, i.years);
  if (now === null) throw new OpError('INFRA_PROVIDER_ERROR', `${provider} gave no price for ${i.domain}; nothing was bought.`);
  return { provider, registrar, q, now };
}

export const infraDomainRegister = defineOp({
  name: 'infra.domain.register',
  title: 'Register a domain',
  description:
    "Registers a domain at the registrar. Costs money and cannot be refunded: the call halts with the price for the owner's approval. The registrar is asked for the price before the owner is (a domain it cannot register is refused then), and the price shown, or maxPrice, is the most the approval pays: it is checked again just before registering, and if it rose nothing is bought. dryRun runs the registrar's checks without buying.",
  input: z.object({
    domain: domainName,
    years: z.number().int().min(1).max(10).default(1),
    provider: domainProvider.optional(),
    maxPrice: z.number().positive().optional().describe('The most to pay for the whole term, in the registrar\'s currency'),
    dryRun: z.boolean().default(false),
  }),
  output: z.object({ domain: z.string(), provider: z.string(), years: z.number(), price: z.number(), currency: z.string(), status: z.string(), orderId: z.string().optional(), dryRun: z.boolean() }),
  requires: WRITE,
  risk: 'costly',
  riskOf: (i) => (i.dryRun ? 'write' : 'costly'),
  openWorld: true,
  cli: { command: ['infra', 'domain', 'register'], positional: ['domain'] },
  describeHalt: (i, kernel) => {
    let provider: string;
    try {
      provider = kernel.services.infra.choose('domains', i.provider);
    } catch {
      provider = i.provider ?? 'the registrar';
    }
    const a = approvedLimit(kernel, provider, i);
    const price = a ? `${a.limit.toFixed(2)}${a.currency ? ' ' + a.currency : ''}` : 'a price not yet checked (run infra.domain.check first, or pass maxPrice)';
    // "up to" when the limit is the caller's own, not the price the registrar quoted.
    return `Register ${i.domain} for ${i.years} year${i.years > 1 ? 's' : ''} at ${provider} for ${a?.quoted ? '' : 'up to '}${price}; registrations are not refundable.`;
  },
  // The price is asked before the owner is; what they are shown becomes the most the approval pays.
  checkBeforeAsking: async (i, kernel) => {
    const { now } = await quote(kernel, i);
    return i.maxPrice !== undefined ? i : { ...i, maxPrice: now };
  },
  handler: async ({ kernel, signal }, input) => {
    const approved = approvedLimit(kernel, kernel.services.infra.choose('domains', input.provider), input);
    if (!approved) throw new OpError('BAD_INPUT', `Check the price first ('infra.domain.check ${input.domain}') or pass maxPrice.`);
    // The price is asked again now: what was approved may no longer be what it costs.
    const { provider, registrar, q, now } = await quote(kernel, input, signal);
    if (now > approved.limit + 0.005) {
      throw new OpError('CONFLICT', `The price of ${input.domain} is now ${now.toFixed(2)} ${q.currency}, above the approved ${approved.limit.toFixed(2)}; nothing was bought. Check again and approve the new price.`, { price: now, approved: approved.limit, currency: q.currency });
    }
    const r = await registrar.register(input.domain, input.years, q, { dryRun: input.dryRun });
    return { ...r, provider };
  },
});

export const infraDomainList = defineOp({
  name: 'infra.domain.list',
  title: 'List domains',
  description: 'Domains registered at the configured registrars, with status and expiry.',
  input: z.object({ provider: domainProvider.optional() }),
  output: z.object({ domains: z.array(infoSchema.extend({ provider: z.string() })), errors: z.array(z.object({ provider: z.string(), error: z.string() })) }),
  requires: READ,
  risk: 'read',
  openWorld: true,
  handler: async ({ kernel, signal }, input) => {
    const infra = kernel.services.infra;
    const domains: (z.infer<typeof infoSchema> & { provider: string })[] = [];
    const errors: { provider: string; error: string }[] = [];
    for (const p of input.provider ? [input.provider] : infra.usable('domains')) {
      try {
        for (const d of await infra.domains(p, signal).list()) domains.push({ ...d, provider: p });
      } catch (err) {
        if (input.provider) throw err;
        errors.push({ provider: p, error: (err as Error).message });
      }
    }
    return { domains, errors };
  },
});

export const infraDomainGet = defineOp({
  name: 'infra.domain.get',
  title: 'Show a domain',
  description: 'One registered domain: status, expiry and auto-renew.',
  input: z.object({ domain: domainName, provider: domainProvider.optional() }),
  output: infoSchema.extend({ provider: z.string() }),
  requires: READ,
  risk: 'read',
  openWorld: true,
  cli: { command: ['infra', 'domain', 'get'], positional: ['domain'] },
  handler: async ({ kernel, signal }, input) => {
    const infra = kernel.services.infra;
    const provider = infra.choose('domains', input.provider);
    const d = await infra.domains(provider, signal).get(input.domain);
    if (!d) throw new OpError('NOT_FOUND', `${input.domain} is not registered in this ${provider} account.`);
    return { ...d, provider };
  },
});
