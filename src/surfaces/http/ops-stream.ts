import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Kernel } from '../../kernel/kernel.js';
import type { AnyOp, Caller, InvokeOptions } from '../../kernel/ops/define.js';
import { toOpError } from '../../kernel/ops/errors.js';

/** A streaming op asked for with `Accept: text/event-stream`. */
export function wantsStream(req: IncomingMessage, op: AnyOp): boolean {
  return op.streams === true && (req.headers.accept ?? '').includes('text/event-stream');
}

function send(res: ServerResponse, event: string, data: unknown): void {
  res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
}

/**
 * Runs the op with its text streamed as Server-Sent Events: `delta` events
 * ({text}) as they come, then one `result`, `halted` or `error` event.
 * Errors after the stream opened cannot change the status, so they are events.
 */
export async function invokeStreaming(kernel: Kernel, res: ServerResponse, caller: Caller, name: string, input: unknown, opts: InvokeOptions): Promise<void> {
  res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', 'x-accel-buffering': 'no' });
  try {
    const result = await kernel.invoke(caller, name, input, { ...opts, onText: (text) => send(res, 'delta', { text }) });
    if (result.status === 'halted') send(res, 'halted', result.halt);
    else send(res, 'result', result.output);
  } catch (err) {
    send(res, 'error', toOpError(err).toJSON());
  }
  res.end();
}
