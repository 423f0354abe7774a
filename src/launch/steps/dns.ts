import { isIP } from 'node:net';
import type { LaunchStep } from '../step.js';
import { tryCall } from '../call-op.js';

/** The domain's record pointing at the server, through the DNS provider that hosts its zone. */
export const pointDomain: LaunchStep = {
  key: 'dns',
  title: 'Point the domain at the server',
  op: 'infra.dns.set',
  plan: (input, kernel) => {
    if (!input.address) return { detail: `No address given: point ${input.domain} at this server yourself (an A record), or pass address.`, skip: true };
    if (!kernel.registry.get('infra.dns.set')) return { detail: `No DNS providers on this server: set an ${isIP(input.address) === 6 ? 'AAAA' : 'A'} record ${input.domain} → ${input.address} at your DNS host.`, skip: true };
    return { detail: `Set ${input.domain} ${isIP(input.address) === 6 ? 'AAAA' : 'A'} ${input.address}.` };
  },
  call: ({ input }) => ({ name: input.domain, type: isIP(input.address!) === 6 ? 'AAAA' : 'A', value: input.address }),
  // Setting a record is an upsert: doing it again is harmless.
  done: async () => undefined,
};
