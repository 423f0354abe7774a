import { z } from 'zod';
import type { Kernel } from '../../kernel/kernel.js';
import { defineOp } from '../../kernel/ops/define.js';
import { OpError } from '../../kernel/ops/errors.js';
import { providersOf } from '../catalogue.js';
import { peerTokenName } from '../infra-service.js';
import { serverId } from '../servers-store.js';
import { cloudInit } from '../vps/cloud-init.js';
import { sshKey } from '../vps/ssh-key.js';
import type { VpsType } from '../vps/types.js';
import { WRITE } from './common.js';
import { serverView } from './vps-read-ops.js';
import { peerSchema, SERVER_NAME_RE, serverSchema } from './vps-schemas.js';

const REMOTE_FAZT_PORT = 8080;
const REGISTRATION_TTL_MS = 24 * 3600_000;

const input = z.object({
  provider: z.enum(providersOf('vps') as [string, ...string[]]),
  name: z.string().regex(SERVER_NAME_RE, 'lower-case letters, digits and -, like a host name (photos-1)'),
  type: z.string().min(1).max(64).describe("Server type, e.g. cx22 (Hetzner), s-1vcpu-1gb (DigitalOcean), local; see 'infra.vps.types'"),
  region: z.string().min(1).max(64).describe("Location, e.g. fsn1, nyc3, loopback; see 'infra.vps.regions'"),
  sshKeys: z.array(z.string().min(1).max(200)).max(20).default([]).describe("The provider's SSH key names or ids to add for root"),
  installFazt: z.boolean().default(true).describe('Install fazt on it (cloud-init) and register it with this node'),
  maxMonthlyPrice: z.number().nonnegative().optional().describe("The most it may cost a month, in the provider's currency; a halt sets it to the price it shows"),
});

function describe(kernel: Kernel, i: z.output<typeof input>): string {
  const price = kernel.services.infra.knownPrice(i.provider, i.type, i.region);
  const upTo = i.maxMonthlyPrice !== undefined && (!price || Math.abs(price.monthly - i.maxMonthlyPrice) > 0.005);
  const cost = upTo
    ? `up to ${i.maxMonthlyPrice!.toFixed(2)}${price ? ` ${price.currency}` : ''}/month`
    : price ? `${price.monthly.toFixed(2)} ${price.currency}/month` : "price not yet known (run 'infra.vps.types' to see it)";
  return `Create ${i.provider} server '${i.name}' (${i.type} in ${i.region}) for ${cost}${i.installFazt ? ', with fazt installed' : ''}.`;
}

function checkTypeAndRegion(types: VpsType[], regions: string[], i: z.output<typeof input>): void {
  const t = types.find((x) => x.name === i.type);
  if (!t) throw new OpError('BAD_INPUT', `Unknown ${i.provider} server type '${i.type}'; valid: ${types.map((x) => x.name).join(', ')}.`, { valid: types.map((x) => x.name) });
  if (!regions.includes(i.region)) throw new OpError('BAD_INPUT', `Unknown ${i.provider} region '${i.region}'; valid: ${regions.join(', ')}.`, { valid: regions });
  if (t.regions.length && !t.regions.includes(i.region)) throw new OpError('BAD_INPUT', `${i.type} is not offered in ${i.region}; it is in: ${t.regions.join(', ')}.`, { valid: t.regions });
}

/** Type, region and name against the provider's own lists: before the owner is asked, and again when it runs. */
async function checkCreate(kernel: Kernel, i: z.output<typeof input>, signal?: AbortSignal) {
  const infra = kernel.services.infra;
  const p = infra.vps(i.provider, signal);
  const [types, regions, existing] = await Promise.all([p.types(), p.regions(), p.list()]);
  infra.rememberTypes(i.provider, types);
  checkTypeAndRegion(types, regions.map((r) => r.name), i);
  if (existing.some((s) => s.name === i.name) || infra.servers.byName(i.provider, i.name)) {
    throw new OpError('CONFLICT', `A ${i.provider} server named '${i.name}' already exists; choose another name.`);
  }
  return p;
}

export const infraVpsCreate = defineOp({
  name: 'infra.vps.create',
  title: 'Create a server',
  description:
    "Creates a server at a provider (hetzner, digitalocean) or a local one (a child fazt on this machine). Costs money: the call halts for the owner's approval with the monthly price. With installFazt (default) the server installs fazt and registers with this node, so infra.vps.status shows its health. A server whose start fails is deleted again.",
  input,
  output: z.object({ server: serverSchema, fazt: peerSchema.nullable(), note: z.string().optional() }),
  requires: WRITE,
  risk: 'costly',
  openWorld: true,
  describeHalt: (i, kernel) => describe(kernel, i),
  // What the owner is shown is the most the approval pays a month.
  checkBeforeAsking: async (i, kernel) => {
    await checkCreate(kernel, i);
    const price = kernel.services.infra.knownPrice(i.provider, i.type, i.region);
    return i.maxMonthlyPrice === undefined && price ? { ...i, maxMonthlyPrice: price.monthly } : i;
  },
  handler: async ({ kernel, signal, progress }, i) => {
    const infra = kernel.services.infra;
    const step = (n: number, message: string) => progress(n, 4, message);
    step(0, 'checking type, region and name');
    const p = await checkCreate(kernel, i, signal);
    const price = infra.knownPrice(i.provider, i.type, i.region) ?? null;
    if (i.maxMonthlyPrice !== undefined && price && price.monthly > i.maxMonthlyPrice + 0.005) {
      throw new OpError('CONFLICT', `A ${i.type} in ${i.region} now costs ${price.monthly.toFixed(2)} ${price.currency}/month, above the approved ${i.maxMonthlyPrice.toFixed(2)}; nothing was created. Ask again with the new price.`, { price: price.monthly, approved: i.maxMonthlyPrice, currency: price.currency });
    }

    let userData: string | undefined;
    let regTokenId: string | undefined;
    if (i.provider !== 'local') {
      const key = sshKey(kernel);
      if (i.installFazt) {
        const home = kernel.config.publicUrl;
        if (!home) throw new OpError('BAD_INPUT', "installFazt needs this node's public URL so the new server can register: start with --public-url https://… (or pass installFazt: false).");
        const reg = kernel.tokens.create(`infra-register-${i.name}`, 'token', ['kernel:peers:write'], new Date(Date.now() + REGISTRATION_TTL_MS).toISOString());
        regTokenId = reg.info.id;
        userData = cloudInit({ sshPublicKey: key.publicKey, homeUrl: home, registrationToken: reg.token, serverName: i.name, port: REMOTE_FAZT_PORT, packageSpec: kernel.settings.get('infra.faztPackage', 'fazt') });
      } else {
        userData = `#cloud-config\nssh_authorized_keys:\n  - ${key.publicKey}\n`;
      }
    }

    step(1, `creating ${i.name} at ${i.provider}`);
    let server;
    try {
      server = await p.create({ name: i.name, type: i.type, region: i.region, sshKeys: i.sshKeys, userData, progress: (m) => step(2, m) });
    } catch (err) {
      if (regTokenId) kernel.tokens.revoke(regTokenId);
      throw err;
    }
    const id = serverId(i.provider, server.providerId);
    infra.servers.add({ provider: i.provider, providerId: server.providerId, name: i.name, type: i.type, region: i.region, monthly: price?.monthly ?? null, currency: price?.currency ?? null, peerPort: i.provider === 'local' ? null : REMOTE_FAZT_PORT, localDir: i.provider === 'local' ? infra.local.dirOf(i.name) : null, localAddress: i.provider === 'local' ? server.ipv4 : null, regTokenId: regTokenId ?? null });

    let fazt = null;
    let note: string | undefined;
    if (i.provider === 'local') {
      step(3, 'registering the new fazt with this node');
      try {
        const grant = await infra.local.registerPeer(i.name);
        kernel.services.secrets.set(peerTokenName(id), grant.token);
        infra.servers.update(id, { peerUrl: grant.url });
        fazt = await infra.peerHealth(infra.servers.get(id)!);
      } catch (err) {
        await p.destroy(server.providerId).catch(() => {});
        infra.servers.remove(id);
        throw err;
      }
    } else if (i.installFazt) {
      note = 'fazt installs on first boot (a few minutes); it then registers itself and infra.vps.status shows its health.';
    }
    step(4, 'done');
    return { server: serverView(kernel, i.provider, server), fazt, ...(note ? { note } : {}) };
  },
});
