import { z } from 'zod';
import type { Kernel } from '../kernel/kernel.js';
import { mayUse, type AnyOp } from '../kernel/ops/define.js';
import { toOpError } from '../kernel/ops/errors.js';
import { opSchemas } from '../surfaces/shared/json-schema.js';
import { AGENT_CALLER, AGENT_CAPS } from './caller.js';
import type { Autonomy } from './config.js';
import type { IssueSeen, Proposal } from './playbooks/types.js';

const TIMEOUT_MS = 20_000;

const answer = z.object({
  op: z.string().min(1).max(100),
  input: z.record(z.string(), z.unknown()),
  reason: z.string().min(1).max(1000),
});

const SYSTEM = [
  'You are the operations agent of fazt, a personal cloud server. One incident has no playbook.',
  'Propose at most ONE operation from TOOLS that would fix it, as JSON {op, input, reason}. You never run it:',
  'a policy judges your proposal and the owner may be asked. If nothing in TOOLS would help, propose the closest read-only look.',
].join(' ');

/** The ops a model may name: ones the agent's capabilities reach, never human-only, never the agent's own. */
export function allowedOps(kernel: Kernel, level: Autonomy): AnyOp[] {
  return kernel.registry.list().filter((op) => !op.humanOnly && !op.name.startsWith('agent.') && mayUse(op, AGENT_CAPS)
    && (op.risk === 'read' || (op.risk === 'write' && level !== 'low')));
}

export type ModelResult = { proposal: Proposal } | { rejected: string; raw: unknown } | { unavailable: string; rateLimited?: boolean };

/**
 * Asks the configured model for one action. What comes back is checked here
 * (shape, op on the allowed list, input valid for that op) and again by the policy.
 */
export async function proposeWithModel(kernel: Kernel, issue: IssueSeen, level: Autonomy, context: string[]): Promise<ModelResult> {
  const ops = allowedOps(kernel, level);
  const tools = ops.map((op) => `- ${op.name} (${op.risk}): ${op.description.slice(0, 300)} INPUT ${JSON.stringify(opSchemas(op).input)}`);
  let raw: unknown;
  try {
    const r = await kernel.services.ai.complete(
      {
        system: SYSTEM,
        prompt: [`ISSUE: ${JSON.stringify(issue)}`, 'CONTEXT:', ...context, 'TOOLS:', ...tools].join('\n'),
        json: z.toJSONSchema(answer) as Record<string, unknown>,
        maxTokens: 800,
        temperature: 0,
      },
      { caller: AGENT_CALLER, timeoutMs: TIMEOUT_MS },
    );
    raw = r.object;
  } catch (err) {
    const e = toOpError(err);
    return { unavailable: e.message.slice(0, 300), rateLimited: e.code === 'RATE_LIMITED' || /429|rate/i.test(e.message) };
  }
  const parsed = answer.safeParse(raw);
  if (!parsed.success) return { rejected: `malformed proposal: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(answer)'}: ${i.message}`).join('; ')}`, raw };
  const op = ops.find((o) => o.name === parsed.data.op);
  if (!op) return { rejected: `out of policy: ${parsed.data.op} is not among the operations the agent may propose at ${level} autonomy`, raw };
  const input = op.input.safeParse(parsed.data.input);
  if (!input.success) return { rejected: `malformed proposal: input for ${op.name}: ${input.error.issues.map((i: { path: PropertyKey[]; message: string }) => `${i.path.join('.') || '(input)'}: ${i.message}`).join('; ')}`, raw };
  return {
    proposal: {
      source: 'model', op: op.name, input: parsed.data.input, label: `${op.title}: ${JSON.stringify(parsed.data.input)}`.slice(0, 120),
      reason: parsed.data.reason, expected: 'What the model expects: ' + parsed.data.reason, verify: 'The issue is gone on the next beat.', allowListed: false,
    },
  };
}
