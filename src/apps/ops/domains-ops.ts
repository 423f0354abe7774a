import { z } from 'zod';
import { defineOp } from '../../kernel/ops/define.js';
import { appDomainSchema, appRef } from '../schemas.js';

const domainField = z.string().min(1).max(300).describe('Host name, e.g. photos.example.com');

export const appsDomainsAdd = defineOp({
  name: 'apps.domains.add',
  title: 'Add custom domain',
  description:
    "Serves an app on a custom domain (its static files, API and MCP endpoint) besides <slug>.<domain>. Point the domain's DNS at this server; with HTTPS on, a certificate is provisioned once the DNS answers here. A domain belongs to one app.",
  input: z.object({ app: appRef, domain: domainField }),
  output: z.object({ domain: appDomainSchema, added: z.boolean().describe('false when the app already had it') }),
  // Claiming a host name affects routing for everyone: kernel-wide, not an app token's call.
  requires: 'kernel:apps:write',
  risk: 'write',
  cli: { command: ['apps', 'domains', 'add'], positional: ['app', 'domain'] },
  handler: ({ kernel }, input) => kernel.services.domains.add(input.app, input.domain),
});

export const appsDomainsRemove = defineOp({
  name: 'apps.domains.remove',
  title: 'Remove custom domain',
  description: 'Stops serving an app on a custom domain and drops its certificate. Needs the owner to confirm when a certificate for it is in use.',
  input: z.object({ domain: domainField }),
  output: z.object({ removed: appDomainSchema }),
  requires: 'kernel:apps:write',
  risk: 'write',
  // Losing a working certificate takes the site off HTTPS: that asks for confirmation.
  riskOf: (input, kernel) => (kernel.services.ssl?.inUse(input.domain) ? 'destructive' : 'write'),
  describeHalt: (input) => `Remove the custom domain ${input.domain} and the certificate serving it.`,
  cli: { command: ['apps', 'domains', 'remove'], positional: ['domain'] },
  handler: ({ kernel }, input) => {
    // The certificate goes with it (the ssl module listens for system.app.domain.removed).
    return { removed: kernel.services.domains.remove(input.domain) };
  },
});

export const appsDomainsList = defineOp({
  name: 'apps.domains.list',
  title: 'List custom domains',
  description: 'Lists custom domains (of one app, or all) with the app each serves and its certificate state.',
  input: z.object({ app: appRef.optional() }),
  output: z.object({ domains: z.array(appDomainSchema) }),
  requires: 'kernel:apps:read',
  risk: 'read',
  idempotent: true,
  cli: { command: ['apps', 'domains', 'list'], positional: ['app'] },
  handler: ({ kernel }, input) => ({ domains: kernel.services.domains.list(input.app) }),
});

export const domainsOps = [appsDomainsAdd, appsDomainsRemove, appsDomainsList];
