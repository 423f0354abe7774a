import type { z } from 'zod';
import type { Step } from '../call.js';
import { didYouMean } from '../did-you-mean.js';
import { OpError } from '../errors.js';
import { fieldsAt } from '../strict-input.js';

export function describeIssues(error: z.ZodError): { fields: { path: string; message: string }[]; text: string } {
  const fields = error.issues.map((i) => ({ path: i.path.join('.') || '(input)', message: i.message }));
  return { fields, text: fields.map((f) => `${f.path}: ${f.message}`).join('; ') };
}

/**
 * Unknown fields (inputs are strict, see strict-input.ts) are reported first and
 * by name, with the fields that would have been accepted, so a caller that guessed
 * a field learns the real ones instead of a bare "unrecognized key".
 */
function describeInputIssues(op: { name: string; input: z.ZodType }, error: z.ZodError): { fields: { path: string; message: string }[]; text: string } {
  const unknown: string[] = [];
  const fields: { path: string; message: string }[] = [];
  const rest: z.core.$ZodIssue[] = [];
  for (const issue of error.issues) {
    if (issue.code !== 'unrecognized_keys') {
      rest.push(issue);
      continue;
    }
    const where = issue.path.join('.');
    const valid = fieldsAt(op.input, issue.path);
    const names = issue.keys.map((k) => `'${k}'`).join(', ');
    const hints = issue.keys.map((k) => didYouMean(k, valid)).filter(Boolean);
    const hint = hints.length ? ` (did you mean ${hints.map((h) => `'${h}'`).join(', ')}?)` : '';
    const list = `valid fields: ${valid.join(', ') || '(none)'}${hint}`;
    unknown.push(`Unknown field${issue.keys.length > 1 ? 's' : ''} ${names}${where ? ` in ${where}` : ''} for ${op.name}; ${list}`);
    for (const k of issue.keys) fields.push({ path: [...issue.path, k].join('.'), message: `unknown field; ${list}` });
  }
  const others = describeIssues({ issues: rest } as z.ZodError);
  const parts = [...unknown, ...(rest.length ? [`Invalid input for ${op.name}: ${others.text}`] : [])];
  return { fields: [...fields, ...others.fields], text: parts.join('. ') };
}

export const validateInputStep: Step = async (call, next) => {
  call.input = parseInput(call.op, call.rawInput);
  await next();
};

/** An op's input, validated (defaults applied), or the BAD_INPUT error every surface shows. */
export function parseInput(op: { name: string; input: z.ZodType }, raw: unknown): unknown {
  const parsed = op.input.safeParse(raw ?? {});
  if (parsed.success) return parsed.data;
  const { fields, text } = describeInputIssues(op, parsed.error);
  throw new OpError('BAD_INPUT', text, { fields });
}

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
