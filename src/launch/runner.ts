import type { OpContext } from '../kernel/ops/define.js';
import { toOpError } from '../kernel/ops/errors.js';
import { callOp } from './call-op.js';
import type { LaunchPlan, PlanStore } from './plan-store.js';
import type { LaunchStep, StepContext } from './step.js';
import { STEPS } from './steps/index.js';

const byKey = new Map(STEPS.map((s) => [s.key, s]));

/**
 * Runs a plan's steps in order from the first not done. Each step is first
 * checked (`done`): one a crash cut short, or done by other means, is not done twice. A step that
 * halts leaves the plan 'waiting' on that halt; one that fails stops the plan
 * with the error; running the launch again continues from there.
 */
export async function runPlan(plan: LaunchPlan, store: PlanStore, op: OpContext): Promise<LaunchPlan> {
  plan.status = 'running';
  store.save(plan);
  const outputs: Record<string, unknown> = Object.fromEntries(plan.steps.filter((s) => s.status === 'done').map((s) => [s.key, s.output]));
  const total = plan.steps.length;
  for (const [i, state] of plan.steps.entries()) {
    if (state.status === 'done' || state.status === 'skipped') continue;
    const step = byKey.get(state.key) as LaunchStep;
    const ctx: StepContext = { op, input: plan.input, outputs };
    op.progress(i, total, state.title);
    // Checked first: a crash may have cut a step short after it took effect, or it was done
    // by other means (the certificate by autoTls when the domain was added).
    {
      const already = await step.done(ctx);
      if (already !== undefined) {
        Object.assign(state, { status: 'done', output: already, error: undefined, haltId: undefined });
        outputs[state.key] = already;
        store.save(plan);
        continue;
      }
    }
    Object.assign(state, { status: 'running', error: undefined, haltId: undefined });
    store.save(plan);
    try {
      const r = await callOp(op, state.op, await step.call(ctx, state.op));
      if (r.status === 'halted') {
        Object.assign(state, { status: 'waiting', haltId: r.halt.haltId, detail: `Waiting for the owner: ${r.halt.reason}` });
        plan.status = 'waiting';
        store.save(plan);
        return plan;
      }
      Object.assign(state, { status: 'done', output: r.output });
      outputs[state.key] = r.output;
    } catch (err) {
      const e = toOpError(err);
      Object.assign(state, { status: 'failed', error: { code: e.code, message: e.message } });
      plan.status = 'failed';
      store.save(plan);
      return plan;
    }
    store.save(plan);
  }
  op.progress(total, total, 'done');
  plan.status = 'done';
  store.save(plan);
  return plan;
}
