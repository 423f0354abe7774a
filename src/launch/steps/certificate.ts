import type { LaunchStep } from '../step.js';

/** An HTTPS certificate for the domain, from the configured ACME CA. */
export const provisionCertificate: LaunchStep = {
  key: 'certificate',
  title: 'Issue the HTTPS certificate',
  op: 'net.ssl.provision',
  onServer: true,
  plan: (input, kernel) =>
    kernel.registry.get('net.ssl.provision') ? { detail: `Get a certificate for ${input.domain} over ACME.` } : { detail: 'HTTPS certificates are not available on this server.', skip: true },
  call: ({ input }) => ({ domain: input.domain }),
  done: async (ctx) => {
    const s = (await ctx.probe('net.ssl.status', { domain: ctx.input.domain })) as { certificate?: { state?: string } } | undefined;
    return s?.certificate?.state === 'valid' ? s : undefined;
  },
};
