import type { z } from 'zod';
import type { Step } from '../call.js';
import { OpError } from '../errors.js';

export function describeIssues(error: z.ZodError): { fields: { path: string; message: string }[]; text: string } {
  const fields = error.issues.map((i) => ({ path: i.path.join('.') || '(input)', message: i.message }));
  return { fields, text: fields.map((f) => `${f.path}: ${f.message}`).join('; ') };
}

export const validateInputStep: Step = async (call, next) => {
  const parsed = call.op.input.safeParse(call.rawInput ?? {});
  if (!parsed.success) {
    const { fields, text } = describeIssues(parsed.error);
    throw new OpError('BAD_INPUT', `Invalid input for ${call.op.name}: ${text}`, { fields });
  }
  call.input = parsed.data;
  await next();
};

/** A handler returning the wrong shape is our bug, reported as INTERNAL, never passed on. */
export const validateOutputStep: Step = async (call, next) => {
  await next();
  if (call.result?.status !== 'ok') return;
  const parsed = call.op.output.safeParse(call.result.output);
  if (!parsed.success) {
    throw new OpError('INTERNAL', `${call.op.name} produced invalid output: ${describeIssues(parsed.error).text}`);
  }
  call.result = { status: 'ok', output: parsed.data };
};
