/** Why an invocation of app code failed. */
export type SandboxErrorKind = 'timeout' | 'memory' | 'stack' | 'output' | 'syntax' | 'error' | 'unsettled';

/** A failure of app code (never of fazt): surfaces turn it into a 500/503 and a system.app.error event. */
export class SandboxError extends Error {
  constructor(
    readonly kind: SandboxErrorKind,
    message: string,
    readonly stack_?: string,
  ) {
    super(message);
    this.name = 'SandboxError';
  }
}

/** Turns what QuickJS threw (already dumped to a host value) into a SandboxError. */
export function classifyThrown(thrown: unknown, timedOut: boolean, timeoutMs: number): SandboxError {
  if (timedOut) return new SandboxError('timeout', `The app ran longer than its time limit of ${timeoutMs} ms and was stopped.`);
  if (thrown && typeof thrown === 'object' && 'message' in thrown && 'name' in thrown) {
    const e = thrown as { name: unknown; message: unknown; stack?: unknown };
    const msg = String(e.message);
    // Keep the top of the stack: deep recursion would otherwise log thousands of frames.
    const stack = typeof e.stack === 'string' ? e.stack.split('\n').slice(0, 12).join('\n') : undefined;
    if (e.name === 'InternalError' && msg === 'interrupted') return new SandboxError('timeout', `The app ran longer than its time limit of ${timeoutMs} ms and was stopped.`);
    if (e.name === 'InternalError' && msg === 'out of memory') return new SandboxError('memory', 'The app ran out of memory (its memory limit was reached).', stack);
    if (e.name === 'RangeError' && /memory limit/.test(msg)) return new SandboxError('memory', 'The app ran out of memory (its memory limit was reached).', stack);
    if (e.name === 'InternalError' && msg === 'stack overflow') return new SandboxError('stack', 'The app recursed too deeply (stack overflow).', stack);
    if (e.name === 'SyntaxError' && (!stack || !stack.includes('('))) return new SandboxError('syntax', `SyntaxError: ${msg}${where(thrown)}`, stack);
    return new SandboxError('error', `${String(e.name)}: ${msg}`, stack);
  }
  return new SandboxError('error', `Uncaught ${describe(thrown)}`);
}

function where(e: object): string {
  const o = e as { fileName?: unknown; lineNumber?: unknown };
  return typeof o.lineNumber === 'number' ? ` (${String(o.fileName ?? 'api/main.js')}:${o.lineNumber})` : '';
}

function describe(v: unknown): string {
  if (v === undefined) return 'undefined';
  try {
    const s = JSON.stringify(v);
    return s === undefined ? String(v) : s.length > 200 ? s.slice(0, 200) + '…' : s;
  } catch {
    return String(v);
  }
}
