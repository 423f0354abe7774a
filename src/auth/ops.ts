import { z } from 'zod';
import { defineOp, requiredCaps } from '../kernel/ops/define.js';
import type { Kernel } from '../kernel/kernel.js';
import { OpError } from '../kernel/ops/errors.js';
import { capabilityProblem, kernelAreas } from './capabilities.js';
import { parseDuration } from './tokens.js';
import { beginTotp, confirmTotp, disableTotp, requireTotp, totpEnabled } from './totp.js';

const tokenInfo = z.object({
  id: z.string(),
  name: z.string(),
  kind: z.enum(['owner', 'token']),
  caps: z.array(z.string()),
  createdAt: z.string(),
  expiresAt: z.string().nullable(),
  lastUsedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
});

const code = z.string().optional().describe('Current TOTP code, when TOTP is enabled');

export const tokensCreate = defineOp({
  name: 'tokens.create',
  title: 'Create token',
  description:
    'Creates a capability token (printed once, stored hashed). Capabilities: kernel:*, kernel:<area>:read|write|* (areas such as apps, storage, logs, pulse), ' +
    'app:*, app:<id or slug>:read|write|* (a slug is stored as the app id). Anything else is refused.',
  input: z.object({
    name: z.string().min(1).max(64).regex(/^[A-Za-z0-9_.-]+$/, 'letters, digits, . _ -'),
    cap: z.array(z.string()).min(1).describe('Capabilities the token holds'),
    expires: z.string().optional().describe('Lifetime such as 30d, 12h'),
    code,
  }),
  output: z.object({ token: z.string(), info: tokenInfo }),
  requires: 'kernel:auth:write',
  risk: 'write',
  humanOnly: true,
  cli: { command: ['token', 'create'] },
  handler: ({ kernel }, input) => {
    requireTotp(kernel, input.code);
    const caps = resolveCaps(kernel, input.cap);
    let expiresAt: string | null = null;
    if (input.expires) {
      const ms = parseDuration(input.expires);
      if (ms === null || ms <= 0) throw new OpError('BAD_INPUT', `expires: '${input.expires}' is not a duration like 30d or 12h.`);
      expiresAt = new Date(Date.now() + ms).toISOString();
    }
    if (kernel.tokens.findLive(input.name)) throw new OpError('CONFLICT', `A token named '${input.name}' already exists.`);
    return kernel.tokens.create(input.name, 'token', caps, expiresAt);
  },
});

/**
 * Checks each capability against the grammar and the areas ops actually require,
 * and turns `app:<slug>:…` into `app:<id>:…` (ops check ids, so a slug would never match).
 */
function resolveCaps(kernel: Kernel, caps: string[]): string[] {
  const areas = kernelAreas(kernel.registry.list().flatMap(requiredCaps));
  const problems: string[] = [];
  const resolved = caps.map((cap) => {
    const problem = capabilityProblem(cap, areas);
    if (problem) return (problems.push(problem), cap);
    const [kind, ref, level] = cap.split(':');
    if (kind !== 'app' || ref === '*') return cap;
    const app = kernel.services.apps.find(ref);
    if (!app) return (problems.push(`'${cap}': No app '${ref}'. Run 'fazt apps list' to see app ids and slugs.`), cap);
    return `app:${app.id}:${level}`;
  });
  if (problems.length) {
    throw new OpError('BAD_INPUT', `Invalid capabilit${problems.length > 1 ? 'ies' : 'y'}: ${problems.join('; ')}`, {
      fields: problems.map((message) => ({ path: 'cap', message })),
    });
  }
  return [...new Set(resolved)];
}

export const tokensList = defineOp({
  name: 'tokens.list',
  title: 'List tokens',
  description: 'Lists tokens with their capabilities, expiry and last use (never the secrets).',
  input: z.object({ all: z.boolean().default(false).describe('Include revoked tokens') }),
  output: z.object({ tokens: z.array(tokenInfo) }),
  requires: 'kernel:auth:read',
  risk: 'read',
  cli: { command: ['token', 'list'] },
  handler: ({ kernel }, input) => ({ tokens: kernel.tokens.list(input.all) }),
});

export const tokensRevoke = defineOp({
  name: 'tokens.revoke',
  title: 'Revoke token',
  description: 'Revokes a token by id or name; it stops working at once.',
  input: z.object({ id: z.string().min(1) }),
  output: z.object({ revoked: z.literal(true), id: z.string(), name: z.string() }),
  requires: 'kernel:auth:write',
  risk: 'write',
  cli: { command: ['token', 'revoke'], positional: ['id'] },
  handler: ({ kernel }, input) => {
    const t = kernel.tokens.findLive(input.id);
    if (!t) throw new OpError('NOT_FOUND', `No live token '${input.id}'.`);
    if (t.kind === 'owner') throw new OpError('FORBIDDEN', 'The owner key cannot be revoked this way; use `fazt auth owner-key reset` on the server (on its data dir).');
    kernel.tokens.revoke(t.id);
    return { revoked: true as const, id: t.id, name: t.name };
  },
});

export const totpEnable = defineOp({
  name: 'auth.totp.enable',
  title: 'Enable TOTP',
  description: 'Starts TOTP enrolment for the owner and returns an otpauth:// URI for an authenticator app. Confirm with auth.totp.confirm.',
  input: z.object({}),
  output: z.object({ uri: z.string(), secret: z.string(), next: z.string() }),
  requires: 'kernel:auth:write',
  risk: 'write',
  humanOnly: true,
  handler: ({ kernel }) => ({ ...beginTotp(kernel), next: "Run 'fazt auth totp confirm --code <6 digits>' to switch it on." }),
});

export const totpConfirm = defineOp({
  name: 'auth.totp.confirm',
  title: 'Confirm TOTP',
  description: 'Switches TOTP on once a code from the authenticator app checks out.',
  input: z.object({ code: z.string().min(6) }),
  output: z.object({ enabled: z.literal(true) }),
  requires: 'kernel:auth:write',
  risk: 'write',
  humanOnly: true,
  handler: ({ kernel }, input) => (confirmTotp(kernel, input.code), { enabled: true as const }),
});

export const totpDisable = defineOp({
  name: 'auth.totp.disable',
  title: 'Disable TOTP',
  description: 'Switches TOTP off (needs a current code).',
  input: z.object({ code }),
  output: z.object({ enabled: z.literal(false) }),
  requires: 'kernel:auth:write',
  risk: 'write',
  humanOnly: true,
  handler: ({ kernel }, input) => (disableTotp(kernel, input.code), { enabled: false as const }),
});

export const totpStatus = defineOp({
  name: 'auth.totp.status',
  title: 'TOTP status',
  description: 'Tells whether TOTP is required for creating tokens and deciding halts.',
  input: z.object({}),
  output: z.object({ enabled: z.boolean() }),
  requires: 'kernel:auth:read',
  risk: 'read',
  handler: ({ kernel }) => ({ enabled: totpEnabled(kernel) }),
});

export const authOps = [tokensCreate, tokensList, tokensRevoke, totpEnable, totpConfirm, totpDisable, totpStatus];
