import { isIP } from 'node:net';
import type { Kernel } from '../../kernel/kernel.js';
import { OpError } from '../../kernel/ops/errors.js';
import type { LaunchStep, StepContext } from '../step.js';
import { launchedServer } from './server.js';

const recordType = (address: string) => (isIP(address) === 6 ? 'AAAA' : 'A');

/** The DNS provider and zone holding the domain (fazt's own server, Cloudflare, Hetzner, DigitalOcean), if any is configured. */
async function zoneOf(kernel: Kernel, domain: string): Promise<{ provider: string; zone: string; name: string } | undefined> {
  try {
    return await kernel.services.infra.dnsFor(domain);
  } catch {
    return undefined;
  }
}

/** Where the domain points: the address given, else the launch's server's. */
function addressOf(ctx: StepContext): string | undefined {
  return ctx.input.address ?? launchedServer(ctx.outputs.server)?.ipv4 ?? undefined;
}

/** The domain's record pointing at the server, through whichever configured DNS provider hosts its zone. */
export const pointDomain: LaunchStep = {
  key: 'dns',
  title: 'Point the domain at the server',
  op: 'infra.dns.set',
  plan: async (input, kernel) => {
    const at = await zoneOf(kernel, input.domain);
    const target = input.address ?? (input.vps ? `the address of the server '${input.vps.name}'` : undefined);
    if (!target) return { detail: `No address given: point ${input.domain} at this server yourself (an A record), or pass address.`, skip: true };
    const type = input.address ? recordType(input.address) : 'A';
    if (at) return { detail: `Set ${input.domain} ${type} → ${target} in the zone ${at.zone} (${at.provider}).` };
    return { detail: `No configured DNS provider hosts a zone for ${input.domain}: set an ${type} record ${input.domain} → ${target} at your DNS host.`, skip: true };
  },
  call: async (ctx) => {
    const at = (await zoneOf(ctx.op.kernel, ctx.input.domain))!;
    const address = addressOf(ctx);
    if (!address) throw new OpError('UNAVAILABLE', `The server '${ctx.input.vps?.name}' has no public IPv4 address yet; resume the launch once it has one.`);
    return { provider: at.provider, zone: at.zone, name: at.name, type: recordType(address), value: address };
  },
  // Setting a record replaces it: doing it again is harmless.
  done: async () => undefined,
};
