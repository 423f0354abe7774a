import { z } from 'zod';
import { appRef } from '../../apps/schemas.js';
import type { Kernel } from '../../kernel/kernel.js';
import { defineOp } from '../../kernel/ops/define.js';
import { OpError } from '../../kernel/ops/errors.js';
import { requestedPatterns } from '../registrations/check.js';

const patterns = z
  .array(z.string().min(1).max(200).regex(/^\S+$/, 'an event pattern without spaces, such as system.app.* or app:shop.order.*'))
  .min(1)
  .describe('Event patterns, e.g. system.app.* or app:shop.*');

const accessSchema = z.object({
  app: z.string(),
  own: z.string().describe('The namespace every app receives: its own'),
  requested: z.array(z.string()).describe("Patterns the active version's manifest asks for"),
  granted: z.array(z.string()).describe('Patterns the owner allowed'),
  waiting: z.array(z.string()).describe('Asked for but not allowed: not delivered'),
});

function access(kernel: Kernel, ref: string): z.infer<typeof accessSchema> {
  const app = kernel.services.apps.get(ref);
  const manifest = app.activeVersion === null ? {} : kernel.services.files.manifest(app.id, app.activeVersion);
  const requested = requestedPatterns(manifest);
  const granted = kernel.services.runtime.eventGrants.list(app.id);
  return { app: app.slug, own: `app:${app.slug}.*`, requested, granted, waiting: requested.filter((p) => !granted.includes(p)) };
}

export const eventsAccess = defineOp({
  name: 'apps.events.access',
  title: 'App event access',
  description:
    "Shows which events an app's fazt.events.on handlers receive: always its own namespace (app:<slug>.*), plus patterns its manifest asks for that the owner granted. 'waiting' lists what is asked but not granted.",
  input: z.object({ app: appRef }),
  output: accessSchema,
  requires: ['kernel:apps:read', 'app:{app}:read'],
  risk: 'read',
  idempotent: true,
  cli: { command: ['apps', 'events', 'access'], positional: ['app'] },
  handler: ({ kernel }, input) => access(kernel, input.app),
});

export const eventsGrant = defineOp({
  name: 'apps.events.grant',
  title: 'Allow app events',
  description: "Lets an app receive events beyond its own namespace (other apps' or system events). Only the owner, in person, can grant: events can carry another app's data.",
  input: z.object({ app: appRef, pattern: patterns }),
  output: accessSchema,
  requires: 'kernel:apps:write',
  risk: 'write',
  humanOnly: true,
  cli: { command: ['apps', 'events', 'grant'], positional: ['app'] },
  handler: ({ kernel, caller }, input) => {
    const app = kernel.services.apps.get(input.app);
    const own = input.pattern.filter((p) => p.startsWith(`app:${app.slug}.`));
    if (own.length) throw new OpError('BAD_INPUT', `${own.join(', ')}: an app always receives its own events (app:${app.slug}.*); grant only other namespaces.`);
    kernel.services.runtime.eventGrants.grant(app.id, input.pattern, caller.name);
    kernel.services.runtime.subscribe(app.id);
    return access(kernel, app.id);
  },
});

export const eventsRevoke = defineOp({
  name: 'apps.events.revoke',
  title: 'Withdraw app events',
  description: 'Stops delivering events of the given patterns to an app that was granted them (see apps.events.access).',
  input: z.object({ app: appRef, pattern: patterns }),
  output: accessSchema,
  requires: 'kernel:apps:write',
  risk: 'write',
  cli: { command: ['apps', 'events', 'revoke'], positional: ['app'] },
  handler: ({ kernel }, input) => {
    const app = kernel.services.apps.get(input.app);
    kernel.services.runtime.eventGrants.revoke(app.id, input.pattern);
    kernel.services.runtime.subscribe(app.id);
    return access(kernel, app.id);
  },
});

export const eventAccessOps = [eventsAccess, eventsGrant, eventsRevoke];
