import { z } from 'zod';
import { defineOp } from '../kernel/ops/define.js';
import { OpError } from '../kernel/ops/errors.js';
import { sessionIdOf } from './owner-sessions.js';
import { hasOwnerPassword, MAX_PASSWORD_LENGTH, setOwnerPassword } from './password.js';

const sessionInfo = z.object({
  id: z.string(),
  method: z.enum(['password', 'owner-key']),
  createdAt: z.string(),
  lastSeenAt: z.string(),
  expiresAt: z.string(),
  idleExpiresAt: z.string(),
  userAgent: z.string().nullable(),
  address: z.string().nullable(),
  current: z.boolean().describe('The session making this call'),
});

export const sessionsList = defineOp({
  name: 'auth.sessions.list',
  title: 'List sign-in sessions',
  description: 'Lists the browsers signed in as the owner (dashboard sessions): when, how, from where, and when each ends.',
  input: z.object({}),
  output: z.object({ sessions: z.array(sessionInfo), passwordSet: z.boolean() }),
  requires: 'kernel:auth:read',
  risk: 'read',
  handler: ({ kernel, caller }) => {
    const mine = sessionIdOf(caller);
    const sessions = kernel.services.ownerSessions.store.list().map(({ revokedAt: _r, ...s }) => ({ ...s, current: s.id === mine }));
    return { sessions, passwordSet: hasOwnerPassword(kernel) };
  },
});

export const sessionsRevoke = defineOp({
  name: 'auth.sessions.revoke',
  title: 'Revoke sign-in session',
  description: 'Signs a browser out by session id (from auth.sessions.list), or every browser with all=true.',
  input: z.object({
    id: z.string().min(1).optional().describe('Session id, from auth sessions list'),
    all: z.boolean().default(false).describe('Sign every browser out'),
  }),
  output: z.object({ revoked: z.number() }),
  requires: 'kernel:auth:write',
  risk: 'write',
  cli: { positional: ['id'] },
  handler: ({ kernel }, input) => {
    const store = kernel.services.ownerSessions.store;
    if (input.all === !!input.id) throw new OpError('BAD_INPUT', 'Give either a session id or all=true (--all).', { fields: [{ path: 'id', message: 'id or all' }] });
    if (input.all) return { revoked: store.revokeAll() };
    if (!store.revoke(input.id!)) throw new OpError('NOT_FOUND', `No live session '${input.id}'. Run 'fazt auth sessions list' to see them.`);
    return { revoked: 1 };
  },
});

export const passwordSet = defineOp({
  name: 'auth.password.set',
  title: 'Set sign-in password',
  description: 'Sets the owner password for the dashboard sign-in (stored as an scrypt hash in the secrets store). Signs every browser out.',
  input: z.object({ password: z.string().min(1).max(MAX_PASSWORD_LENGTH) }),
  output: z.object({ set: z.literal(true), sessionsRevoked: z.number() }),
  requires: 'kernel:auth:write',
  risk: 'write',
  humanOnly: true,
  handler: async ({ kernel }, input) => {
    await setOwnerPassword(kernel, input.password);
    return { set: true as const, sessionsRevoked: kernel.services.ownerSessions.store.revokeAll() };
  },
});

export const sessionOps = [sessionsList, sessionsRevoke, passwordSet];
