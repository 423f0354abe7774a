import type { Kernel } from '../../kernel.js';
import { redactTokens, redactTokensIn } from '../../../audit/redact.js';
import type { Step } from '../call.js';
import { callRisk, type AnyOp } from '../define.js';
import { OpError } from '../errors.js';
import { isAgentCall, isPresentHuman } from '../present-human.js';

/**
 * Destructive or costly calls from anyone but a present human are not run:
 * the human is asked now when the surface can ask (MCP elicitation), otherwise
 * the call is persisted as a halt for the owner to decide.
 */
export const haltGateStep: Step = async (call, next) => {
  const { op, caller, opts, kernel } = call;
  const risk = callRisk(op, call.input, kernel);
  const gated = risk === 'destructive' || risk === 'costly' || opts.forceHalt === true;
  // An approval lets exactly the call its halt stored run, and only while the owner's decision runs it.
  const approved = opts.approvedHaltId !== undefined && kernel.halts.isRunning(opts.approvedHaltId, op.name);
  if (!gated || isPresentHuman(caller, opts.surface) || approved) return next();
  const checked = await op.checkBeforeAsking?.(call.input as never, kernel);
  if (checked !== undefined) call.input = checked;

  const reason = opts.haltQuestion?.reason ?? haltReason(op, call.input, kernel);
  const choices = opts.haltQuestion?.choices;
  const options = choices?.length ? choices.map((c) => c.option) : (op.haltOptions ?? ['Approve', 'Deny']);
  let showPage = false;
  // The agent is never asked in its own session: it has no person to ask, and must not answer itself.
  if (opts.confirm && !isAgentCall(caller, opts.surface)) {
    // What the person is shown never carries a token passed as a value.
    const answer = await opts.confirm({ op: op.name, reason: redactTokens(reason), options, input: redactTokensIn(call.input) });
    if (answer.action === 'accept') return next();
    if (answer.action === 'decline') {
      throw new OpError('CANCELED', `Canceled by user: ${reason}`, { op: op.name });
    }
    // 'link': the person decides on the halt's own page; 'unavailable': nobody can be asked now.
    showPage = answer.action === 'link';
  }
  const halt = kernel.halts.create({ op: op.name, input: call.input, caller, surface: opts.surface, reason, options, ...(choices?.length ? { choices } : {}) });
  if (showPage && opts.showHalt) {
    // The decision runs the stored call (halts.decide); this call answers with what it did.
    const done = await opts.showHalt(halt);
    if (done?.status === 'approved') return void (call.result = { status: 'ok', output: done.result });
    if (done?.status === 'denied' || done?.status === 'expired') throw new OpError('CANCELED', `Not approved (${done.status}): ${reason}`, { op: op.name, haltId: halt.id });
    if (done?.status === 'failed' && done.error) throw new OpError(done.error.code, done.error.message, { haltId: halt.id });
  }
  call.result = { status: 'halted', halt: { halted: true, haltId: halt.id, reason: halt.reason, expiresAt: halt.expiresAt } };
};

/** The one sentence a person is shown before a gated call runs (confirmation, halt, notification). */
export function haltReason(op: AnyOp, validInput: unknown, kernel: Kernel): string {
  return op.describeHalt ? op.describeHalt(validInput as never, kernel) : `${op.title} (${callRisk(op, validInput, kernel)})`;
}
