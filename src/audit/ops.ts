import { z } from 'zod';
import { defineOp } from '../kernel/ops/define.js';
import { parseSince } from '../kernel/time.js';
import { OUTCOMES } from './audit-log.js';

const auditRow = z.object({
  id: z.number(),
  at: z.string(),
  caller: z.string(),
  callerKind: z.string(),
  surface: z.string(),
  session: z.object({ id: z.string().optional(), client: z.string().optional() }).nullable(),
  op: z.string(),
  input: z.unknown(),
  outcome: z.enum(OUTCOMES),
  errorCode: z.string().nullable(),
  durationMs: z.number(),
  requestId: z.string().nullable(),
  haltId: z.string().nullable(),
});

export const auditQuery = defineOp({
  name: 'audit.query',
  title: 'Query audit trail',
  description: 'Returns recorded operation calls, newest first: who called what, from which surface, the outcome. Filter by time (since: 1h, 7d or ISO), op (prefix with *), caller, surface, outcome. Refused authentications are rows with outcome unauthenticated (reason and client ip in input).',
  input: z.object({
    since: z.string().optional(),
    until: z.string().optional(),
    op: z.string().optional(),
    caller: z.string().optional(),
    surface: z.enum(['http', 'cli', 'mcp', 'js', 'agent', 'system', 'halt']).optional(),
    outcome: z.enum(OUTCOMES).optional().describe('unauthenticated: refused for missing or invalid credentials (auth.suppressed rows count those held back)'),
    limit: z.number().int().min(1).max(1000).default(50),
  }),
  output: z.object({ entries: z.array(auditRow) }),
  requires: 'kernel:audit:read',
  risk: 'read',
  idempotent: true,
  cli: { command: ['audit'] },
  handler: ({ kernel }, input) => ({
    entries: kernel.audit.query({
      ...input,
      since: input.since ? parseSince(input.since) : undefined,
      until: input.until ? parseSince(input.until, 'until') : undefined,
    }),
  }),
});

export const auditOps = [auditQuery];
