import { isPrivateName } from '../../ssl/domain-name.js';
import type { LaunchStep } from '../step.js';

/** An HTTPS certificate for the domain, from the configured ACME CA. */
export const provisionCertificate: LaunchStep = {
  key: 'certificate',
  title: 'Issue the HTTPS certificate',
  op: 'net.ssl.provision',
  onServer: true,
  plan: (input, kernel) => {
    if (!kernel.registry.get('net.ssl.provision')) return { detail: 'HTTPS certificates are not available on this server.', skip: true };
    // A new server at a provider serves HTTPS on 443; this one, and local servers (which share its ports), only when it does.
    const https = input.vps && input.vps.provider !== 'local' ? true : kernel.services.ssl?.httpsPort !== undefined;
    if (!https) return { detail: `This server does not serve HTTPS (start it with --https-port N, or on a public address): ${input.domain} is served over HTTP only.`, skip: true };
    return { detail: isPrivateName(input.domain) ? `Issue a certificate for ${input.domain} from this server's local CA (a private name).` : `Get a certificate for ${input.domain} over ACME.` };
  },
  call: ({ input }) => ({ domain: input.domain }),
  done: async (ctx) => {
    const s = (await ctx.probe('net.ssl.status', { domain: ctx.input.domain })) as { certificate?: { state?: string } } | undefined;
    return s?.certificate?.state === 'valid' ? s : undefined;
  },
};
