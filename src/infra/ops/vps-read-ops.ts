import { z } from 'zod';
import { defineOp } from '../../kernel/ops/define.js';
import { OpError } from '../../kernel/ops/errors.js';
import { providersOf } from '../catalogue.js';
import { serverId } from '../servers-store.js';
import type { VpsServer } from '../vps/types.js';
import type { Kernel } from '../../kernel/kernel.js';
import { READ } from './common.js';
import { peerSchema, priceSchema, resolveServer, serverRef, serverSchema } from './vps-schemas.js';

const vpsProvider = z.enum(providersOf('vps') as [string, ...string[]]);

export function serverView(kernel: Kernel, provider: string, s: VpsServer): z.infer<typeof serverSchema> {
  const id = serverId(provider, s.providerId);
  const rec = kernel.services.infra.servers.get(id);
  const price = rec?.monthly != null ? { monthly: rec.monthly, hourly: null, currency: rec.currency ?? 'USD' } : (kernel.services.infra.knownPrice(provider, s.type, s.region) ?? null);
  return { id, provider, ...s, price };
}

export const infraVpsList = defineOp({
  name: 'infra.vps.list',
  title: 'List servers',
  description: 'Servers at every configured VPS provider and local ones on this machine: id, state, IPs, type, region and monthly price.',
  input: z.object({ provider: vpsProvider.optional().describe('Only this provider') }),
  output: z.object({ servers: z.array(serverSchema), errors: z.array(z.object({ provider: z.string(), error: z.string() })) }),
  requires: READ,
  risk: 'read',
  openWorld: true,
  handler: async ({ kernel, signal }, input) => {
    const infra = kernel.services.infra;
    const providers = input.provider ? [input.provider] : infra.usable('vps');
    const servers: z.infer<typeof serverSchema>[] = [];
    const errors: { provider: string; error: string }[] = [];
    for (const p of providers) {
      try {
        for (const s of await infra.vps(p, signal).list()) servers.push(serverView(kernel, p, s));
      } catch (err) {
        if (input.provider) throw err;
        errors.push({ provider: p, error: (err as Error).message });
      }
    }
    return { servers, errors };
  },
});

export const infraVpsTypes = defineOp({
  name: 'infra.vps.types',
  title: 'Server types and prices',
  description: 'The server types a provider offers: cores, memory (GB), disk (GB), and the monthly price per region.',
  input: z.object({ provider: vpsProvider }),
  output: z.object({ provider: z.string(), types: z.array(z.object({ name: z.string(), description: z.string(), cores: z.number(), memoryGb: z.number(), diskGb: z.number(), prices: z.record(z.string(), priceSchema), regions: z.array(z.string()) })) }),
  requires: READ,
  risk: 'read',
  openWorld: true,
  cli: { command: ['infra', 'vps', 'types'], positional: ['provider'] },
  handler: async ({ kernel, signal }, input) => {
    const infra = kernel.services.infra;
    const types = await infra.vps(input.provider, signal).types();
    infra.rememberTypes(input.provider, types);
    return { provider: input.provider, types };
  },
});

export const infraVpsRegions = defineOp({
  name: 'infra.vps.regions',
  title: 'Server regions',
  description: 'Where a provider can put a server (its location or region names).',
  input: z.object({ provider: vpsProvider }),
  output: z.object({ provider: z.string(), regions: z.array(z.object({ name: z.string(), description: z.string(), country: z.string().nullable() })) }),
  requires: READ,
  risk: 'read',
  openWorld: true,
  cli: { command: ['infra', 'vps', 'regions'], positional: ['provider'] },
  handler: async ({ kernel, signal }, input) => ({ provider: input.provider, regions: await kernel.services.infra.vps(input.provider, signal).regions() }),
});

export const infraVpsStatus = defineOp({
  name: 'infra.vps.status',
  title: 'Server status',
  description: "One server's state at its provider, and, when it runs fazt and registered with this node, that fazt's own pulse health.",
  input: z.object({ id: serverRef }),
  output: serverSchema.extend({ fazt: peerSchema.nullable() }),
  requires: READ,
  risk: 'read',
  openWorld: true,
  cli: { command: ['infra', 'vps', 'status'], positional: ['id'] },
  handler: async ({ kernel, signal }, input) => {
    const infra = kernel.services.infra;
    const { provider, providerId, record } = resolveServer(kernel, input.id);
    const s = await infra.vps(provider, signal).get(providerId);
    if (!s) throw new OpError('NOT_FOUND', `${provider} has no server ${providerId} (any more).`);
    return { ...serverView(kernel, provider, s), fazt: record && s.state === 'running' ? await infra.peerHealth(record) : null };
  },
});
