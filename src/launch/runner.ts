import type { OpContext } from '../kernel/ops/define.js';
import { INPUT_REQUIRED, OpError, toOpError } from '../kernel/ops/errors.js';
import { callAt, probeAt } from './call-op.js';
import type { LaunchPlan, PlanStore } from './plan-store.js';
import type { LaunchStep, StepContext, StepState } from './step.js';
import { STEPS } from './steps/index.js';

const byKey = new Map(STEPS.map((s) => [s.key, s]));

type HaltOutcome = { done: unknown } | { waiting: true } | { error: OpError } | undefined;

/**
 * What became of the halt a step waited on: its approval ran the step's call
 * (the result is the step's output), it was denied or expired, or it still waits.
 * Undefined when the halt is gone: the step is checked and run again.
 */
function haltOutcome(op: OpContext, state: StepState): HaltOutcome {
  if (state.status !== 'waiting' || !state.haltId) return undefined;
  const h = op.kernel.halts.get(state.haltId);
  if (!h) return undefined;
  // Pending, or approved and its call still running: either way the step's outcome is not known yet.
  if (h.status === 'pending' || (h.status === 'approved' && op.kernel.halts.isRunning(h.id, h.op))) return { waiting: true };
  if (h.status === 'approved') return { done: h.result };
  if (h.status === 'failed' && h.error) return { error: new OpError(h.error.code, h.error.message) };
  return { error: new OpError('CANCELED', `The owner did not approve it (halt ${h.id}: ${h.status}${h.decidedBy ? ` by ${h.decidedBy}` : ''}).`) };
}

/**
 * Runs a plan's steps in order from the first not done. Each step is first
 * checked (`done`): one a crash cut short, or done by other means, is not done twice. A step that
 * halts leaves the plan 'waiting' on that halt (running the launch again while it
 * is pending makes no second halt); one that fails stops the plan with the error;
 * running the launch again continues from there.
 */
export async function runPlan(plan: LaunchPlan, store: PlanStore, op: OpContext): Promise<LaunchPlan> {
  plan.status = 'running';
  store.save(plan);
  const outputs: Record<string, unknown> = Object.fromEntries(plan.steps.filter((s) => s.status === 'done').map((s) => [s.key, s.output]));
  const total = plan.steps.length;
  const finish = (state: StepState, output: unknown) => {
    Object.assign(state, { status: 'done', output, error: undefined, haltId: undefined });
    outputs[state.key] = output;
    store.save(plan);
  };
  const fail = (state: StepState, err: unknown) => {
    const e = toOpError(err);
    Object.assign(state, { status: 'failed', error: { code: e.code, message: e.message } });
    plan.status = 'failed';
    store.save(plan);
    return plan;
  };
  for (const [i, state] of plan.steps.entries()) {
    if (state.status === 'done' || state.status === 'skipped') continue;
    const step = byKey.get(state.key) as LaunchStep;
    const ctx: StepContext = { op, input: plan.input, outputs, probe: (name, input) => probeAt(op, state.server, name, input) };
    op.progress(i, total, state.title);
    const halt = haltOutcome(op, state);
    if (halt && 'waiting' in halt) {
      plan.status = 'waiting';
      store.save(plan);
      return plan;
    }
    if (halt && 'error' in halt) return fail(state, halt.error);
    if (halt && 'done' in halt && halt.done !== null) {
      finish(state, halt.done);
      continue;
    }
    try {
      // Checked first: a crash may have cut a step short after it took effect, or it was done
      // by other means (the certificate by autoTls when the domain was added).
      const already = await step.done(ctx);
      if (already !== undefined) {
        finish(state, already);
        continue;
      }
      Object.assign(state, { status: 'running', error: undefined, haltId: undefined });
      store.save(plan);
      // On a server, state.op is infra.peers.call carrying the step's own op.
      const name = state.server ? step.op : state.op;
      const r = await callAt(op, state.server, name, await step.call(ctx, name));
      if (r.status === 'halted') {
        Object.assign(state, { status: 'waiting', haltId: r.halt.haltId });
        plan.status = 'waiting';
        store.save(plan);
        return plan;
      }
      finish(state, r.output);
    } catch (err) {
      if (toOpError(err).code === INPUT_REQUIRED) {
        // The caller's client is asking its person; it calls again with the answer and the launch goes on.
        Object.assign(state, { status: 'pending' });
        plan.status = 'interrupted';
        store.save(plan);
        throw err;
      }
      return fail(state, err);
    }
  }
  op.progress(total, total, 'done');
  plan.status = 'done';
  store.save(plan);
  return plan;
}
