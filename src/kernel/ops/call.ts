import type { AnyOp, Caller, InvokeOptions } from './define.js';
import type { OpError } from './errors.js';
import type { Kernel } from '../kernel.js';

export interface HaltedResult {
  halted: true;
  haltId: string;
  reason: string;
  expiresAt: string;
}

export type InvokeResult<T = unknown> =
  | { status: 'ok'; output: T }
  | { status: 'halted'; halt: HaltedResult };

/** One invocation as it moves through the pipeline steps. */
export interface Call {
  kernel: Kernel;
  op: AnyOp;
  caller: Caller;
  opts: InvokeOptions;
  requestId: string;
  rawInput: unknown;
  input?: unknown;
  started: number;
  result?: InvokeResult;
  error?: OpError;
}

export type Step = (call: Call, next: () => Promise<void>) => Promise<void>;

/** Hono-style composition: each step may act before and after the rest. */
export function compose(steps: Step[]): (call: Call) => Promise<void> {
  return (call) => {
    const run = (i: number): Promise<void> => (i < steps.length ? steps[i](call, () => run(i + 1)) : Promise.resolve());
    return run(0);
  };
}
