import { randomUUID } from 'node:crypto';
import type { Kernel } from '../kernel.js';
import { compose, type Call, type InvokeResult } from './call.js';
import type { Caller, InvokeOptions } from './define.js';
import { OpError } from './errors.js';
import { auditStep } from './steps/audit.js';
import { authorizeInputStep, authorizeStep } from './steps/authorize.js';
import { haltGateStep } from './steps/halt-gate.js';
import { rateLimitStep } from './steps/rate-limit.js';
import { runStep } from './steps/run.js';
import { validateInputStep, validateOutputStep } from './steps/validate.js';

/**
 * The one way any surface runs an op:
 * audit(authorize → rate limit → validate → authorize input → halt gate → validate output(handler)) → event.
 * Authentication happens on the surface, which turns credentials into a Caller.
 */
export function createPipeline(kernel: Kernel) {
  const run = compose([
    auditStep,
    authorizeStep,
    rateLimitStep(kernel.rateLimiter),
    validateInputStep,
    authorizeInputStep,
    haltGateStep,
    validateOutputStep,
    runStep,
  ]);

  return async function invoke(caller: Caller, name: string, input: unknown, opts: InvokeOptions): Promise<InvokeResult> {
    const op = kernel.registry.get(name);
    if (!op) throw new OpError('NOT_FOUND', `Unknown operation '${name}'. Run 'fazt ops list' to see them.`);
    const call: Call = {
      kernel,
      op,
      caller,
      opts,
      requestId: opts.requestId ?? randomUUID(),
      rawInput: input,
      started: Date.now(),
    };
    await run(call);
    if (call.error) throw call.error;
    if (!call.result) throw new OpError('INTERNAL', `${name} returned nothing`);
    return call.result;
  };
}
