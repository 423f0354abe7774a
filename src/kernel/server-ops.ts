import { z } from 'zod';
import { ANY_CALLER, defineOp, mayUse, requiredCaps } from './ops/define.js';

export const opsList = defineOp({
  name: 'ops.list',
  title: 'List operations',
  description: 'Lists the operations this caller may use, with the capability each needs and its risk class.',
  input: z.object({ all: z.boolean().default(false).describe('Include operations this caller cannot use') }),
  output: z.object({
    ops: z.array(z.object({ name: z.string(), title: z.string(), description: z.string(), requires: z.array(z.string()), risk: z.string(), allowed: z.boolean() })),
  }),
  requires: ANY_CALLER,
  risk: 'read',
  cli: { command: ['ops', 'list'] },
  handler: ({ kernel, caller }, input) => ({
    ops: kernel.registry
      .list()
      .map((op) => {
        const allowed = mayUse(op, caller.caps);
        return { name: op.name, title: op.title, description: op.description, requires: requiredCaps(op), risk: op.risk, allowed };
      })
      .filter((o) => input.all || o.allowed),
  }),
});

export const serverInfo = defineOp({
  name: 'server.info',
  title: 'Server info',
  description: 'Version, uptime, domain and listen address of this fazt server, and who the caller is.',
  input: z.object({}),
  output: z.object({
    name: z.literal('fazt'),
    version: z.string(),
    node: z.string(),
    uptimeSeconds: z.number(),
    domain: z.string(),
    listen: z.string(),
    caller: z.object({ name: z.string(), kind: z.string(), caps: z.array(z.string()) }),
  }),
  requires: ANY_CALLER,
  risk: 'read',
  handler: ({ kernel, caller }) => ({
    name: 'fazt' as const,
    version: FAZT_VERSION,
    node: process.version,
    uptimeSeconds: Math.round((Date.now() - kernel.startedAt) / 1000),
    domain: kernel.config.domain,
    listen: `${kernel.config.host}:${kernel.config.port}`,
    caller: { name: caller.name, kind: caller.kind, caps: caller.caps },
  }),
});

export const serverConfig = defineOp({
  name: 'server.config',
  title: 'Server configuration',
  description: 'The running configuration (data dir, domain, limits), with secrets left out.',
  input: z.object({}),
  output: z.object({ config: z.record(z.string(), z.unknown()) }),
  requires: 'kernel:config:read',
  risk: 'read',
  handler: ({ kernel }) => {
    const { extra, ...rest } = kernel.config;
    return {
      config: {
        ...rest,
        extra: Object.fromEntries(Object.entries(extra).filter(([k]) => !/secret|token|key|password/i.test(k))),
        ...(kernel.services.ssl ? { tls: kernel.services.ssl.describeSettings() } : {}),
      },
    };
  },
});

export const FAZT_VERSION = '0.1.0';

export const serverOps = [opsList, serverInfo, serverConfig];
