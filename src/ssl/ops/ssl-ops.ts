import { z } from 'zod';
import { defineOp } from '../../kernel/ops/define.js';
import { OpError } from '../../kernel/ops/errors.js';
import { appRef } from '../../apps/schemas.js';
import { certSummarySchema, domainField } from './schemas.js';
import { trustInstructions } from '../trust-instructions.js';

export const sslProvision = defineOp({
  name: 'net.ssl.provision',
  title: 'Provision certificate',
  description:
    "Issues a TLS certificate now: from the ACME CA (Let's Encrypt by default; HTTP-01 answered by this server, DNS-01 for wildcards) or, for *.localhost, *.test and other private names, from the local CA. Give a domain, or an app to cover all its custom domains. The name's DNS must point here for HTTP-01.",
  input: z.object({ domain: domainField.optional(), app: appRef.optional() }),
  output: z.object({ certificates: z.array(certSummarySchema) }),
  requires: 'kernel:net:write',
  risk: 'write',
  openWorld: true,
  cli: { command: ['ssl', 'provision'], positional: ['domain'] },
  handler: async ({ kernel }, input) => {
    if ((input.domain === undefined) === (input.app === undefined)) {
      throw new OpError('BAD_INPUT', 'Give exactly one of domain or app.', { fields: [{ path: 'domain', message: 'domain or app, not both or neither' }] });
    }
    const ssl = kernel.services.ssl;
    const domains = input.domain !== undefined ? [input.domain] : kernel.services.domains.list(input.app).map((d) => d.domain);
    if (!domains.length) throw new OpError('BAD_INPUT', `App '${input.app}' has no custom domains; add one with apps.domains.add.`, { app: input.app });
    const out = [];
    for (const d of domains) out.push(ssl.toSummary(await ssl.provision(d)));
    return { certificates: out };
  },
});

export const sslRenew = defineOp({
  name: 'net.ssl.renew',
  title: 'Renew certificate',
  description: 'Renews a certificate now instead of waiting for the scheduler (which renews at 2/3 of its lifetime). The old certificate serves until the new one is in.',
  input: z.object({ domain: domainField }),
  output: z.object({ certificate: certSummarySchema }),
  requires: 'kernel:net:write',
  risk: 'write',
  openWorld: true,
  cli: { command: ['ssl', 'renew'], positional: ['domain'] },
  handler: async ({ kernel }, input) => ({ certificate: kernel.services.ssl.toSummary(await kernel.services.ssl.renew(input.domain)) }),
});

export const sslList = defineOp({
  name: 'net.ssl.list',
  title: 'List certificates',
  description: 'Every certificate the server holds: names, source (acme, local, imported), state, expiry, next renewal, last error.',
  input: z.object({}),
  output: z.object({ certificates: z.array(certSummarySchema), httpsPort: z.number().int().nullable(), acmeDirectory: z.string() }),
  requires: 'kernel:net:read',
  risk: 'read',
  idempotent: true,
  cli: { command: ['ssl', 'list'] },
  handler: ({ kernel }) => {
    const ssl = kernel.services.ssl;
    return { certificates: ssl.list(), httpsPort: ssl.httpsPort ?? null, acmeDirectory: ssl.settings.acmeDirectory };
  },
});

export const sslStatus = defineOp({
  name: 'net.ssl.status',
  title: 'Certificate status',
  description: "The certificate serving a domain (exact or wildcard): state, serial, expiry, next renewal, failures and the CA's last problem document.",
  input: z.object({ domain: domainField }),
  output: z.object({ certificate: certSummarySchema }),
  requires: 'kernel:net:read',
  risk: 'read',
  idempotent: true,
  cli: { command: ['ssl', 'status'], positional: ['domain'] },
  handler: ({ kernel }, input) => ({ certificate: kernel.services.ssl.status(input.domain) }),
});

export const sslRevoke = defineOp({
  name: 'net.ssl.revoke',
  title: 'Revoke certificate',
  description: 'Revokes a certificate at its CA and stops serving it (the default certificate answers instead). A model calling it needs the owner to approve.',
  input: z.object({ domain: domainField }),
  output: z.object({ certificate: certSummarySchema }),
  requires: 'kernel:net:write',
  risk: 'destructive',
  openWorld: true,
  describeHalt: (input) => `Revoke the certificate for ${input.domain}; HTTPS visitors get an untrusted default certificate until a new one is provisioned.`,
  cli: { command: ['ssl', 'revoke'], positional: ['domain'] },
  handler: async ({ kernel }, input) => ({ certificate: kernel.services.ssl.toSummary(await kernel.services.ssl.revoke(input.domain)) }),
});

export const sslImport = defineOp({
  name: 'net.ssl.import',
  title: 'Import certificate',
  description: 'Stores a certificate you bring (PEM chain, leaf first) with its private key (PEM) and serves it. The key must match the certificate; it is kept encrypted. Imported certificates are not renewed by fazt.',
  input: z.object({
    cert: z.string().min(1).max(64 * 1024).describe('PEM certificate chain, leaf first'),
    // Named privateKey so the audit trail redacts it by name.
    privateKey: z.string().min(1).max(16 * 1024).describe('PEM private key (unencrypted)'),
    domain: domainField.optional().describe('Name to file it under (default: its first DNS name)'),
  }),
  output: z.object({ certificate: certSummarySchema }),
  requires: 'kernel:net:write',
  risk: 'write',
  cli: { command: ['ssl', 'import'] },
  handler: ({ kernel }, input) => ({ certificate: kernel.services.ssl.toSummary(kernel.services.ssl.import(input.cert, input.privateKey, input.domain)) }),
});

export const sslTrust = defineOp({
  name: 'net.ssl.trust',
  title: 'Trust the local CA',
  description: "The local CA's certificate and how to trust it on Linux, macOS and Windows, so browsers accept the certificates fazt issues for *.localhost, *.test and private names.",
  input: z.object({}),
  output: z.object({ caPath: z.string(), caPem: z.string(), instructions: z.object({ linux: z.string(), macos: z.string(), windows: z.string(), firefox: z.string() }) }),
  requires: 'kernel:net:read',
  risk: 'read',
  idempotent: true,
  cli: { command: ['ssl', 'trust'] },
  handler: async ({ kernel }) => {
    const ca = kernel.services.ssl.localCa;
    const caPem = await ca.certPem();
    return { caPath: ca.certPath, caPem, instructions: trustInstructions(ca.certPath) };
  },
});

export const sslOps = [sslProvision, sslRenew, sslList, sslStatus, sslRevoke, sslImport, sslTrust];
