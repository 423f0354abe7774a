import type { Call, Step } from '../call.js';
import type { Kernel } from '../../kernel.js';
import { mayUse, requiredCaps, type AnyOp, type Caller } from '../define.js';
import { OpError } from '../errors.js';
import { holdsAny } from '../../../auth/capabilities.js';
import { isPresentHuman } from '../present-human.js';

/** Before validation: refuse callers who could never hold the op's capability. */
export const authorizeStep: Step = async (call, next) => {
  const needed = requiredCaps(call.op);
  if (call.op.humanOnly && !isPresentHuman(call.caller, call.opts.surface)) {
    const command = `fazt ${(call.op.cli?.command ?? call.op.name.split('.')).join(' ')}`;
    throw new OpError('FORBIDDEN', `${call.op.name} can only be done by the owner in person: run '${command}' on the server.`);
  }
  if (!mayUse(call.op, call.caller.caps)) throw forbidden(fillFromRaw(call, needed));
  await next();
};

/** After validation: fill `{field}` placeholders from the input and check for real. */
export const authorizeInputStep: Step = async (call, next) => {
  checkInputCaps(call.kernel, call.op, call.caller, call.input);
  await next();
};

/** Throws FORBIDDEN unless the caller holds one of the op's capabilities for this validated input. */
export function checkInputCaps(kernel: Kernel, op: AnyOp, caller: Caller, validInput: unknown): void {
  const templates = requiredCaps(op);
  if (!templates.some((t) => t.includes('{'))) return;
  const input = (validInput ?? {}) as Record<string, unknown>;
  const missing = new Set<string>();
  const needed = templates.map((t) =>
    t.replace(/\{([^}]+)\}/g, (_, field: string) => {
      const v = input[field];
      if (v === undefined || v === null || v === '') {
        missing.add(field);
        return `<${field}>`;
      }
      return kernel.resolveCapabilityValue(field, v);
    }),
  );
  if (!holdsAny(caller.caps, needed)) throw forbidden(needed, [...missing]);
}

/** Names the capability with the caller's own values where the raw input has them (the error is for a person). */
function fillFromRaw(call: Call, templates: string[]): string[] {
  const raw = call.rawInput;
  const input = raw && typeof raw === 'object' ? (raw as Record<string, unknown>) : {};
  return templates.map((t) =>
    t.replace(/\{([^}]+)\}/g, (_, f: string) => (typeof input[f] === 'string' && input[f] ? call.kernel.resolveCapabilityValue(f, input[f]) : `<${f}>`)),
  );
}

/** Fields left empty show as `<field>` (never `app::read`), with a hint to set them. */
function forbidden(needed: string[], missing: string[] = []): OpError {
  const list = needed.join(' or ');
  const hint = missing.length ? ` A token scoped to one ${missing.join(', ')} must name it: ${missing.map((f) => `set '${f}'`).join(', ')}.` : '';
  return new OpError('FORBIDDEN', `This call needs the capability ${list}.${hint}`, { required: needed });
}
