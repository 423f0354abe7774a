import { isIP } from 'node:net';
import type { Kernel } from '../../kernel/kernel.js';
import type { LaunchStep } from '../step.js';

const recordType = (address: string) => (isIP(address) === 6 ? 'AAAA' : 'A');

/** The DNS provider and zone holding the domain (fazt's own server, Cloudflare, Hetzner, DigitalOcean), if any is configured. */
async function zoneOf(kernel: Kernel, domain: string): Promise<{ provider: string; zone: string; name: string } | undefined> {
  try {
    return await kernel.services.infra.dnsFor(domain);
  } catch {
    return undefined;
  }
}

/** The domain's record pointing at the server, through whichever configured DNS provider hosts its zone. */
export const pointDomain: LaunchStep = {
  key: 'dns',
  title: 'Point the domain at the server',
  op: 'infra.dns.set',
  plan: async (input, kernel) => {
    if (!input.address) return { detail: `No address given: point ${input.domain} at this server yourself (an A record), or pass address.`, skip: true };
    const type = recordType(input.address);
    const at = await zoneOf(kernel, input.domain);
    if (at) return { detail: `Set ${input.domain} ${type} ${input.address} in the zone ${at.zone} (${at.provider}).` };
    return { detail: `No configured DNS provider hosts a zone for ${input.domain}: set an ${type} record ${input.domain} → ${input.address} at your DNS host.`, skip: true };
  },
  call: async ({ input, op }) => {
    const at = (await zoneOf(op.kernel, input.domain))!;
    return { provider: at.provider, zone: at.zone, name: at.name, type: recordType(input.address!), value: input.address };
  },
  // Setting a record replaces it: doing it again is harmless.
  done: async () => undefined,
};
