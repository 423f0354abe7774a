import { z } from 'zod';
import { appRef } from '../../apps/schemas.js';
import type { Kernel } from '../../kernel/kernel.js';
import { defineOp } from '../../kernel/ops/define.js';
import { OWNER_LIMIT_KEYS, type OwnerLimitKey } from '../app-limits.js';
import { LIMIT_BOUNDS, type ClampedLimit } from '../sandbox/limits.js';

const UNITS: Record<OwnerLimitKey, string> = {
  memoryMb: 'MB of heap per invocation',
  timeoutMs: 'ms per invocation',
  maxOutputBytes: 'bytes of response or tool result',
  maxBodyBytes: 'bytes of request body',
};

/** An owner-set limit: a whole number within the hard bounds, or null for the server default. */
const limitField = (k: OwnerLimitKey) => {
  const [lo, hi] = LIMIT_BOUNDS[k];
  return z
    .number()
    .int(`${k} must be a whole number`)
    .min(lo, `${k} must be between ${lo} and ${hi} (${UNITS[k]})`)
    .max(hi, `${k} must be between ${lo} and ${hi} (${UNITS[k]}); ${hi} is the most any app may have`)
    .nullable()
    .optional()
    .describe(`${UNITS[k]}, ${lo}-${hi}; null for the server default`);
};

const limitsSchema = z.object({ timeoutMs: z.number(), memoryMb: z.number(), stackKb: z.number(), maxOutputBytes: z.number(), maxBodyBytes: z.number() });

const outputSchema = z.object({
  app: z.string(),
  defaults: limitsSchema.describe('Server defaults (runtime.* settings)'),
  owner: z.record(z.string(), z.number()).describe('Limits the owner set for this app: its ceiling in place of the defaults'),
  effective: limitsSchema.describe("What the active version runs with: the ceiling, lowered where its manifest asks for less"),
  clamped: z.array(z.object({ key: z.string(), asked: z.number(), applied: z.number() })).describe("Manifest values above the ceiling, and what applies instead"),
  max: limitsSchema.describe('Hard ceilings, for the owner too'),
});

function view(kernel: Kernel, ref: string): z.infer<typeof outputSchema> {
  const app = kernel.services.apps.get(ref);
  const { limits } = kernel.services.runtime;
  const manifest = app.activeVersion === null ? {} : kernel.services.files.manifest(app.id, app.activeVersion);
  const clamped: ClampedLimit[] = [];
  const effective = limits.resolve(app.id, manifest, clamped);
  const max = Object.fromEntries(Object.entries(LIMIT_BOUNDS).map(([k, [, hi]]) => [k, hi])) as z.infer<typeof limitsSchema>;
  return { app: app.slug, defaults: limits.defaults, owner: limits.owner(app.id), effective, clamped, max };
}

export const limitsGet = defineOp({
  name: 'apps.limits.get',
  title: 'App limits',
  description:
    "Shows the limits an app's code runs with (time, memory, output and request body per invocation): the server defaults, what the owner set for this app, the effective values, and manifest values that were lowered.",
  input: z.object({ app: appRef }),
  output: outputSchema,
  requires: ['kernel:apps:read', 'app:{app}:read'],
  risk: 'read',
  idempotent: true,
  cli: { command: ['apps', 'limits', 'get'], positional: ['app'] },
  handler: ({ kernel }, input) => view(kernel, input.app),
});

export const limitsSet = defineOp({
  name: 'apps.limits.set',
  title: 'Set app limits',
  description:
    "Raises (or lowers) an app's limits above the server defaults: memoryMb, timeoutMs, maxOutputBytes, maxBodyBytes; null puts one back to the default. " +
    "A manifest can only ask for less than these. Larger limits let one app use more of the server's memory and time, so anyone but the owner in person gets a halt for the owner to approve.",
  input: z.object({
    app: appRef,
    memoryMb: limitField('memoryMb'),
    timeoutMs: limitField('timeoutMs'),
    maxOutputBytes: limitField('maxOutputBytes'),
    maxBodyBytes: limitField('maxBodyBytes'),
  }),
  output: outputSchema,
  requires: ['kernel:apps:write', 'app:{app}:write'],
  // Costly: it spends server resources (memory, CPU time) every app shares, so the halt gate asks the owner.
  risk: 'costly',
  describeHalt: (input, kernel) => {
    const slug = kernel.services.apps.find(input.app)?.slug ?? input.app;
    const changes = OWNER_LIMIT_KEYS.filter((k) => input[k] !== undefined).map((k) => `${k} ${input[k] === null ? 'back to the server default' : `to ${input[k]}`}`);
    return `Let app '${slug}' use more server resources: set ${changes.join(', ') || 'no limit'} (server defaults: ${OWNER_LIMIT_KEYS.map((k) => `${k} ${kernel.services.runtime.limits.defaults[k]}`).join(', ')}).`;
  },
  cli: { command: ['apps', 'limits', 'set'], positional: ['app'] },
  handler: ({ kernel }, input) => {
    const app = kernel.services.apps.get(input.app);
    const { memoryMb, timeoutMs, maxOutputBytes, maxBodyBytes } = input;
    kernel.services.runtime.limits.set(app.id, { memoryMb, timeoutMs, maxOutputBytes, maxBodyBytes });
    // Warm sandboxes keep the limits they were built with: start over.
    kernel.services.runtime.drop(app.id);
    return view(kernel, app.id);
  },
});

export const limitsOps = [limitsGet, limitsSet];
