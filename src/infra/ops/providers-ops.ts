import { z } from 'zod';
import { defineOp } from '../../kernel/ops/define.js';
import { INFRA_PROVIDERS } from '../catalogue.js';
import { builtinRunning } from '../dns/builtin.js';
import type { InfraService } from '../infra-service.js';
import { READ, WRITE, providerId } from './common.js';

const providerRow = z.object({
  provider: z.string(),
  title: z.string(),
  kinds: z.array(z.string()),
  configured: z.boolean(),
  baseUrl: z.string().optional(),
  accountId: z.string().optional(),
  hasToken: z.boolean(),
  reachable: z.boolean().optional(),
  problem: z.string().optional().describe('Why the provider did not answer'),
});

/** A cheap authenticated call: does the provider answer this token? */
async function probe(infra: InfraService, id: string): Promise<{ reachable: boolean; problem?: string }> {
  try {
    if (id === 'hetzner' || id === 'digitalocean') await infra.vps(id).regions();
    else if (id === 'cloudflare') await infra.dns(id).zones();
    else if (id === 'porkbun') await infra.domains(id).list();
    return { reachable: true };
  } catch (err) {
    return { reachable: false, problem: (err as Error).message };
  }
}

export const infraProvidersList = defineOp({
  name: 'infra.providers.list',
  title: 'List infra providers',
  description: 'Server, DNS and domain providers: which are configured (a token is stored, never shown), their base URL, and with check=true whether each answers with that token. local (child fazt processes) is always there; builtin (fazt\'s own DNS) when the server runs with --dns-port.',
  input: z.object({ check: z.boolean().default(false).describe('Also call each configured provider') }),
  output: z.object({ providers: z.array(providerRow) }),
  requires: READ,
  risk: 'read',
  openWorld: true,
  handler: async ({ kernel }, input) => {
    const infra = kernel.services.infra;
    const set = new Map(infra.credentials.list().map((p) => [p.provider, p]));
    const providers = await Promise.all(
      INFRA_PROVIDERS.map(async (p) => {
        const c = set.get(p.id);
        const configured = p.id === 'local' ? true : p.id === 'builtin' ? builtinRunning(kernel) : !!c;
        const row = { provider: p.id, title: p.title, kinds: p.kinds, configured, hasToken: c?.hasToken ?? false, ...(c?.baseUrl ? { baseUrl: c.baseUrl } : {}), ...(c?.accountId ? { accountId: c.accountId } : {}) };
        return input.check && c ? { ...row, ...(await probe(infra, p.id)) } : row;
      }),
    );
    return { providers };
  },
});

export const infraProvidersSet = defineOp({
  name: 'infra.providers.set',
  title: 'Configure an infra provider',
  description: 'Stores a provider token (encrypted, never shown again; for server providers the server types and prices are fetched right away, so halts can name prices) and optionally its base URL (a proxy) and, for Cloudflare Registrar, the account id. Porkbun takes its API key as apiToken and its secret API key as apiSecret.',
  input: z.object({
    provider: providerId,
    apiToken: z.string().min(1).max(1000).optional().describe('The provider API token (Porkbun: the API key); stored encrypted, never shown again'),
    apiSecret: z.string().min(1).max(1000).optional().describe("Porkbun's secret API key"),
    baseUrl: z.url({ protocol: /^https?$/ }).optional(),
    accountId: z.string().regex(/^[A-Za-z0-9]{1,64}$/, 'a Cloudflare account id').optional(),
  }),
  output: providerRow,
  requires: WRITE,
  risk: 'write',
  openWorld: true,
  handler: async ({ kernel }, input) => {
    const infra = kernel.services.infra;
    infra.credentials.set(input.provider, { token: input.apiToken, secret: input.apiSecret, baseUrl: input.baseUrl, accountId: input.accountId });
    const c = infra.credentials.list().find((p) => p.provider === input.provider)!;
    // Server prices are fetched now, so a later create's halt can name the monthly price.
    if (c.kinds.includes('vps')) {
      try {
        infra.rememberTypes(input.provider, await infra.vps(input.provider, AbortSignal.timeout(10_000)).types());
        return { ...c, configured: true, reachable: true };
      } catch (err) {
        return { ...c, configured: true, reachable: false, problem: (err as Error).message };
      }
    }
    return { ...c, configured: true };
  },
});

export const infraProvidersRemove = defineOp({
  name: 'infra.providers.remove',
  title: 'Remove an infra provider',
  description: 'Forgets a provider and deletes its stored token. Servers and records at the provider are not touched.',
  input: z.object({ provider: providerId }),
  output: z.object({ removed: z.boolean() }),
  requires: WRITE,
  risk: 'write',
  cli: { command: ['infra', 'providers', 'remove'], positional: ['provider'] },
  handler: ({ kernel }, input) => ({ removed: kernel.services.infra.credentials.remove(input.provider) }),
});
