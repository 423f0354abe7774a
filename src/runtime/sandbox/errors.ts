import { MAX_ERROR_CHARS, type Described } from './describe-thrown.js';

/** Why an invocation of app code failed; `busy` means it never ran (the app's queue was full). */
export type SandboxErrorKind = 'timeout' | 'memory' | 'stack' | 'output' | 'timers' | 'syntax' | 'error' | 'unsettled' | 'busy';

/** A failure of app code (never of fazt): surfaces turn it into a 500/503 and a system.app.error event. */
export class SandboxError extends Error {
  constructor(
    readonly kind: SandboxErrorKind,
    message: string,
    readonly stack_?: string,
    /** For `busy`: seconds after which a retry may find room. */
    readonly retryAfter?: number,
  ) {
    super(message);
    this.name = 'SandboxError';
  }
}

/** What classifying a thrown value needs to know about the invocation. */
export interface ThrownContext {
  timedOut: boolean;
  timeoutMs: number;
  memoryMb: number;
  /** The engine's memory has grown to the heap limit at some point: a thrown `null` may be QuickJS out of memory. */
  heapCouldBeFull: boolean;
}

export function timeoutError(timeoutMs: number): SandboxError {
  return new SandboxError('timeout', `The app ran longer than its time limit of ${timeoutMs} ms and was stopped.`);
}

export function memoryError(memoryMb: number, stack?: string): SandboxError {
  return new SandboxError('memory', `The app ran out of memory: its memory limit of ${memoryMb} MB was reached.`, stack);
}

/**
 * Turns what QuickJS threw (read by describe-thrown.ts; null when it could not
 * be read at all) into a SandboxError that names the limit that was hit.
 */
export function classifyThrown(d: Described | null, c: ThrownContext): SandboxError {
  if (c.timedOut) return timeoutError(c.timeoutMs);
  // Nothing readable (the heap was too full to describe it) after the heap filled: out of memory.
  if (!d) return c.heapCouldBeFull ? memoryError(c.memoryMb) : new SandboxError('error', 'Uncaught exception (it could not be read)');
  if (d.error) {
    const msg = d.message + truncated(d.cut);
    // Keep the top of the stack: deep recursion would otherwise log thousands of frames.
    const stack = d.stack?.split('\n').slice(0, 12).join('\n');
    if (d.name === 'InternalError' && d.message === 'interrupted') return timeoutError(c.timeoutMs);
    if (d.name === 'InternalError' && d.message === 'out of memory') return memoryError(c.memoryMb, stack);
    if (d.name === 'RangeError' && /memory limit/.test(d.message)) return memoryError(c.memoryMb, stack);
    if (d.name === 'InternalError' && d.message === 'stack overflow') return new SandboxError('stack', 'The app recursed too deeply (stack overflow).', stack);
    if (d.name === 'SyntaxError' && (!stack || !stack.includes('('))) return new SandboxError('syntax', `SyntaxError: ${msg}${where(d)}`, stack);
    return new SandboxError('error', `${d.name}: ${msg}`, stack);
  }
  // QuickJS throws null when it cannot even allocate the error for an allocation that failed.
  if (d.text === 'null' && c.heapCouldBeFull) return memoryError(c.memoryMb);
  const text = d.text.length > 200 ? d.text.slice(0, 200) + '…' : d.text;
  return new SandboxError('error', `Uncaught ${text}`);
}

function truncated(cut: number): string {
  return cut ? ` … (error message truncated to ${MAX_ERROR_CHARS} characters; it had ${cut})` : '';
}

function where(d: { fileName?: string; lineNumber?: number }): string {
  return typeof d.lineNumber === 'number' ? ` (${d.fileName ?? 'api/main.js'}:${d.lineNumber})` : '';
}

/** How a failed invocation is answered over HTTP: limits that may pass are 503s (busy with a Retry-After). */
export function httpFailure(err: SandboxError): { status: number; code: string; headers: Record<string, string> } {
  if (err.kind === 'busy') return { status: 503, code: 'APP_BUSY', headers: { 'retry-after': String(err.retryAfter ?? 1) } };
  if (err.kind === 'timeout') return { status: 503, code: 'APP_TIMEOUT', headers: {} };
  if (err.kind === 'memory') return { status: 503, code: 'APP_MEMORY', headers: {} };
  return { status: 500, code: 'APP_ERROR', headers: {} };
}
