import type { Step } from '../call.js';
import { toOpError } from '../errors.js';

/** Outermost step: every call leaves one audit row and one `op.<name>` event, whatever happens. */
export const auditStep: Step = async (call, next) => {
  try {
    await next();
  } catch (err) {
    call.error = toOpError(err);
  }
  const { kernel, op, caller, opts } = call;
  const outcome = call.error
    ? call.error.code === 'FORBIDDEN' || call.error.code === 'UNAUTHENTICATED'
      ? 'denied'
      : call.error.code === 'CANCELED'
        ? 'canceled'
        : 'error'
    : call.result?.status === 'halted'
      ? 'halted'
      : 'ok';
  const durationMs = Date.now() - call.started;
  kernel.audit.record({
    op: op.name,
    caller,
    surface: opts.surface,
    session: opts.session,
    input: call.input ?? call.rawInput,
    outcome,
    errorCode: call.error?.code,
    durationMs,
    requestId: call.requestId,
    haltId: opts.approvedHaltId ?? (call.result?.status === 'halted' ? call.result.halt.haltId : undefined),
  }, op.risk === 'read' && outcome === 'ok');
  kernel.events.emit({
    type: `op.${op.name}`,
    source: 'system',
    data: { caller: caller.name, surface: opts.surface, outcome, durationMs, errorCode: call.error?.code },
  });
};
