import { z } from 'zod';
import type { Kernel } from '../../kernel/kernel.js';
import { OpError } from '../../kernel/ops/errors.js';
import type { ServerRecord } from '../servers-store.js';

export const priceSchema = z.object({ monthly: z.number(), hourly: z.number().nullable(), currency: z.string() });

export const serverSchema = z.object({
  id: z.string().describe('provider:providerId, used by status, exec, reboot and destroy'),
  provider: z.string(),
  providerId: z.string(),
  name: z.string(),
  state: z.string(),
  providerStatus: z.string(),
  ipv4: z.string().nullable(),
  ipv6: z.string().nullable(),
  type: z.string(),
  region: z.string(),
  createdAt: z.string().nullable(),
  price: priceSchema.nullable(),
});

export const peerSchema = z.object({ reachable: z.boolean(), url: z.string(), health: z.string().optional(), summary: z.string().optional(), error: z.string().optional() });

/** A server's name: one host-name label (photos-1). */
export const SERVER_NAME_RE = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

export const serverRef = z.string().min(1).max(200).describe("The server's id (provider:providerId, e.g. hetzner:4711 or local:photos) or its name");

/** Finds a server fazt knows by id or unique name; an id of a provider's server fazt did not make is accepted too. */
export function resolveServer(kernel: Kernel, ref: string): { provider: string; providerId: string; record?: ServerRecord } {
  const store = kernel.services.infra.servers;
  const rec = store.get(ref);
  if (rec) return { provider: rec.provider, providerId: rec.providerId, record: rec };
  const byName = store.list().filter((r) => r.name === ref);
  if (byName.length === 1) return { provider: byName[0].provider, providerId: byName[0].providerId, record: byName[0] };
  if (byName.length > 1) throw new OpError('BAD_INPUT', `Several servers are named '${ref}'; use an id: ${byName.map((r) => r.id).join(', ')}.`);
  const m = /^([a-z]+):(.+)$/.exec(ref);
  if (!m) throw new OpError('NOT_FOUND', `No server '${ref}'. Known: ${store.list().map((r) => `${r.id} (${r.name})`).join(', ') || 'none'}; see 'fazt infra vps list'.`);
  return { provider: m[1], providerId: m[2] };
}
