import { isIP } from 'node:net';
import type { Kernel } from '../../kernel/kernel.js';
import type { LaunchStep } from '../step.js';

const recordType = (address: string) => (isIP(address) === 6 ? 'AAAA' : 'A');

/** The zone this server's own DNS server hosts for a name (the longest match), if any. */
function hostedZone(kernel: Kernel, domain: string): string | undefined {
  const dns = kernel.services.dnsServer;
  if (!dns) return undefined;
  return dns
    .zones()
    .map((z) => z.name)
    .filter((z) => domain === z || domain.endsWith(`.${z}`))
    .sort((a, b) => b.length - a.length)[0];
}

/** The domain's record pointing at the server, in a zone this server hosts. */
export const pointDomain: LaunchStep = {
  key: 'dns',
  title: 'Point the domain at the server',
  op: 'dns.records.set',
  plan: (input, kernel) => {
    if (!input.address) return { detail: `No address given: point ${input.domain} at this server yourself (an A record), or pass address.`, skip: true };
    const type = recordType(input.address);
    const zone = hostedZone(kernel, input.domain);
    if (zone) return { detail: `Set ${input.domain} ${type} ${input.address} in the zone ${zone} this server hosts.`, op: 'dns.records.set' };
    return { detail: `No zone for ${input.domain} on this server: set an ${type} record ${input.domain} → ${input.address} at your DNS host.`, skip: true };
  },
  call: ({ input, op }) => {
    const zone = hostedZone(op.kernel, input.domain)!;
    const name = input.domain === zone ? '@' : input.domain.slice(0, -zone.length - 1);
    return { zone, name, type: recordType(input.address!), value: input.address };
  },
  // Setting a record replaces it: doing it again is harmless.
  done: async () => undefined,
};
