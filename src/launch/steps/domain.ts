import type { LaunchStep } from '../step.js';

/** The custom domain on the app: requests for it are served by the app. */
export const addDomain: LaunchStep = {
  key: 'domain',
  title: 'Add the domain to the app',
  op: 'apps.domains.add',
  onServer: true,
  plan: (input, kernel) =>
    kernel.registry.get('apps.domains.add') ? { detail: `Serve ${input.name} at ${input.domain}.` } : { detail: 'Custom domains are not available on this server.', skip: true },
  call: ({ input }) => ({ app: input.name, domain: input.domain }),
  done: async (ctx) => {
    const list = (await ctx.probe('apps.domains.list', { app: ctx.input.name })) as { domains?: { domain: string }[] } | undefined;
    return list?.domains?.find((d) => d.domain === ctx.input.domain);
  },
};
