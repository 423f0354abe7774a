import { z } from 'zod';
import { holds } from '../auth/capabilities.js';
import { requireTotp } from '../auth/totp.js';
import { ANY_CALLER, defineOp } from '../kernel/ops/define.js';
import { OpError } from '../kernel/ops/errors.js';
import { AGENT_WRITE_DEFAULT_KEY } from './halt-queue.js';
import { haltPreview } from './preview-op.js';

export const haltSchema = z.object({
  id: z.string(),
  op: z.string(),
  input: z.unknown(),
  caller: z.object({ kind: z.string(), name: z.string(), tokenId: z.string().optional() }),
  surface: z.string(),
  reason: z.string(),
  options: z.array(z.string()),
  choices: z.array(z.object({ option: z.string(), runs: z.boolean() })).optional().describe('Which options run the stored call'),
  status: z.enum(['pending', 'approved', 'denied', 'expired', 'failed']),
  createdAt: z.string(),
  expiresAt: z.string(),
  decidedAt: z.string().nullable(),
  decidedBy: z.string().nullable(),
  decisionOption: z.string().nullable(),
  result: z.unknown(),
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
  defaultDecision: z.enum(['deny', 'proceed']).describe('What happens at the deadline if nobody decides'),
});

export const haltList = defineOp({
  name: 'halt.list',
  title: 'List halts',
  description: 'Lists calls waiting for (or decided by) the owner: destructive or costly operations that were not run directly.',
  input: z.object({
    status: z.enum(['pending', 'approved', 'denied', 'expired', 'failed', 'all']).default('pending'),
    limit: z.number().int().min(1).max(500).default(50),
  }),
  output: z.object({ halts: z.array(haltSchema) }),
  requires: 'kernel:halt:read',
  risk: 'read',
  handler: ({ kernel }, input) => ({ halts: kernel.halts.list(input.status, input.limit) }),
});

export const haltStatus = defineOp({
  name: 'halt.status',
  title: 'Halt status',
  description: 'Shows one halt: pending, approved (with the result of the stored call), denied or expired. A caller can always check the halts it created.',
  input: z.object({ id: z.string().min(1) }),
  output: haltSchema,
  requires: ANY_CALLER,
  risk: 'read',
  cli: { command: ['halt', 'show'], positional: ['id'] },
  handler: ({ kernel, caller }, input) => {
    const halt = kernel.halts.get(input.id);
    const own = halt && (halt.caller.tokenId ? halt.caller.tokenId === caller.tokenId : halt.caller.name === caller.name);
    if (!halt || (!own && !holds(caller.caps, 'kernel:halt:read'))) throw new OpError('NOT_FOUND', `No halt '${input.id}'.`);
    return halt;
  },
});

export const haltApprove = defineOp({
  name: 'halt.approve',
  title: 'Approve halt',
  description: 'Approves a pending halt: the stored call runs now with its stored input. Only a person can do this.',
  input: z.object({ id: z.string().min(1), option: z.string().optional(), code: z.string().optional() }),
  output: haltSchema,
  requires: 'kernel:halt:write',
  risk: 'write',
  humanOnly: true,
  cli: { positional: ['id'] },
  handler: ({ kernel, caller }, input) => {
    requireTotp(kernel, input.code);
    return kernel.halts.decide(input.id, 'approve', caller, input.option);
  },
});

export const haltDeny = defineOp({
  name: 'halt.deny',
  title: 'Deny halt',
  description: 'Denies a pending halt: the stored call never runs.',
  input: z.object({ id: z.string().min(1), code: z.string().optional() }),
  output: haltSchema,
  requires: 'kernel:halt:write',
  risk: 'write',
  humanOnly: true,
  cli: { positional: ['id'] },
  handler: ({ kernel, caller }, input) => {
    requireTotp(kernel, input.code);
    return kernel.halts.decide(input.id, 'deny', caller);
  },
});

export const haltConfigure = defineOp({
  name: 'halt.configure',
  title: 'Halt deadlines',
  description:
    "What a halt does when nobody decides by its deadline. Destructive and costly calls are always denied then. agentWriteDefault decides for the agent's reversible writes (a rollback, a renewal it asked about): 'deny' (the default) or 'proceed'. Only the owner, in person. With no fields, shows the setting.",
  input: z.object({ agentWriteDefault: z.enum(['deny', 'proceed']).optional() }),
  output: z.object({ agentWriteDefault: z.enum(['deny', 'proceed']), destructive: z.literal('deny'), costly: z.literal('deny'), timeoutMs: z.number() }),
  requires: 'kernel:halt:write',
  risk: 'write',
  humanOnly: true,
  cli: { command: ['halt', 'configure'] },
  handler: ({ kernel }, input) => {
    if (input.agentWriteDefault) kernel.settings.set(AGENT_WRITE_DEFAULT_KEY, input.agentWriteDefault);
    const agentWriteDefault = kernel.settings.get<'deny' | 'proceed'>(AGENT_WRITE_DEFAULT_KEY, 'deny');
    return { agentWriteDefault, destructive: 'deny' as const, costly: 'deny' as const, timeoutMs: kernel.config.haltTimeoutMs };
  },
});

export const haltOps = [haltList, haltStatus, haltApprove, haltDeny, haltPreview, haltConfigure];
