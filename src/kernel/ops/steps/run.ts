import type { Step } from '../call.js';
import type { OpContext } from '../define.js';

export const runStep: Step = async (call) => {
  const ctx: OpContext = {
    kernel: call.kernel,
    caller: call.caller,
    surface: call.opts.surface,
    requestId: call.requestId,
    signal: call.opts.signal,
    progress: call.opts.progress ?? (() => {}),
    text: call.opts.onText,
    sample: call.opts.sample,
    ...(call.opts.confirm ? { ask: { confirm: call.opts.confirm, showHalt: call.opts.showHalt } } : {}),
  };
  call.opts.onRun?.();
  const output = await call.op.handler(ctx, call.input as never);
  call.result = { status: 'ok', output };
};
