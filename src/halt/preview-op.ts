import { z } from 'zod';
import { ANY_CALLER, callRisk, defineOp, mayUse, requiredCaps } from '../kernel/ops/define.js';
import { OpError } from '../kernel/ops/errors.js';
import { checkInputCaps } from '../kernel/ops/steps/authorize.js';
import { haltReason } from '../kernel/ops/steps/halt-gate.js';
import { parseInput } from '../kernel/ops/steps/validate.js';

/**
 * What a gated call would do, in the op's own words, without running it: the CLI
 * shows this before asking "Continue?", so the person confirms the sentence a halt
 * would carry rather than raw JSON. Input and capability are checked as the call would be.
 */
export const haltPreview = defineOp({
  name: 'halt.preview',
  title: 'Preview a call',
  description:
    'Describes in one sentence what a call would do (the text a confirmation or halt shows), without running it. ' +
    'The input is checked as the call itself would check it.',
  input: z.object({
    op: z.string().min(1).describe('Operation name, e.g. apps.delete'),
    // Not `input`: the CLI's --input already means "the whole input as JSON".
    args: z.record(z.string(), z.unknown()).default({}).describe("The call's input, e.g. {\"id\": \"shop\"}"),
  }),
  output: z.object({ op: z.string(), title: z.string(), risk: z.enum(['read', 'write', 'destructive', 'costly']), reason: z.string() }),
  requires: ANY_CALLER,
  risk: 'read',
  handler: async ({ kernel, caller }, input) => {
    const op = kernel.registry.get(input.op);
    if (!op) throw new OpError('NOT_FOUND', `Unknown operation '${input.op}'. Run 'fazt ops list' to see them.`);
    if (!mayUse(op, caller.caps)) throw new OpError('FORBIDDEN', `This call needs the capability ${requiredCaps(op).join(' or ')}.`);
    const parsed = parseInput(op, input.args);
    checkInputCaps(kernel, op, caller, parsed);
    const valid = (await op.checkBeforeAsking?.(parsed as never, kernel)) ?? parsed;
    return { op: op.name, title: op.title, risk: callRisk(op, valid, kernel), reason: haltReason(op, valid, kernel) };
  },
});
