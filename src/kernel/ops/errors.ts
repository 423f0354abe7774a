import { redactTokens, redactTokensIn } from '../../audit/redact.js';

/**
 * The one error type handlers throw. Every surface maps `code` once:
 * HTTP status, MCP isError result, CLI exit code, JS exception.
 */
export type OpErrorCode =
  | 'BAD_INPUT'
  | 'NOT_FOUND'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'CONFLICT'
  | 'TOO_LARGE'
  | 'RATE_LIMITED'
  | 'CANCELED'
  | 'LIMIT_EXCEEDED'
  | 'UNAVAILABLE'
  | 'INTERNAL'
  | (string & {});

/**
 * Raised inside the halt gate when the surface must ask its person before the call can
 * go on (an MCP 2026 client answers by calling again): not a failure of the call.
 */
export const INPUT_REQUIRED = 'INPUT_REQUIRED';

export class OpError extends Error {
  readonly code: OpErrorCode;
  readonly details?: Record<string, unknown>;

  constructor(code: OpErrorCode, message: string, details?: Record<string, unknown>) {
    // Messages and details often echo input back: a token passed as a value must not return in them.
    super(redactTokens(message));
    this.name = 'OpError';
    this.code = code;
    this.details = details && (redactTokensIn(details) as Record<string, unknown>);
  }

  toJSON(): { code: string; message: string; details?: Record<string, unknown> } {
    return { code: this.code, message: this.message, ...(this.details ? { details: this.details } : {}) };
  }
}

const HTTP_STATUS: Record<string, number> = {
  BAD_INPUT: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  TOO_LARGE: 413,
  LIMIT_EXCEEDED: 422,
  RATE_LIMITED: 429,
  CANCELED: 409,
  UNAVAILABLE: 503,
  INTERNAL: 500,
  AI_NOT_CONFIGURED: 503,
  AI_PROVIDER_ERROR: 502,
  AI_BUDGET_EXCEEDED: 429,
  SECRET_UNREADABLE: 503,
  ZONE_EXISTS: 409,

  BACKUP_TARGET_AUTH: 502,
  BACKUP_INVALID: 422,

  SSL_PROVISION_FAILED: 502,
  SSL_REVOKE_FAILED: 502,

  INFRA_NOT_CONFIGURED: 503,
  INFRA_PROVIDER_ERROR: 502,
  INFRA_RATE_LIMITED: 429,
  INFRA_QUOTA_EXCEEDED: 422,
  INFRA_INSUFFICIENT_FUNDS: 402,
  INFRA_CANCELED: 409,
  PEER_HALTED: 409,
};

export function httpStatusFor(code: string): number {
  return HTTP_STATUS[code] ?? (code.endsWith('_NOT_FOUND') ? 404 : 500);
}

/** CLI exit codes: 1 generic, 2 usage/input, 3 auth, 4 not found, 5 halted/canceled. */
export function exitCodeFor(code: string): number {
  if (code === 'BAD_INPUT') return 2;
  if (code === 'UNAUTHENTICATED' || code === 'FORBIDDEN') return 3;
  if (code === 'NOT_FOUND') return 4;
  if (code === 'CANCELED') return 5;
  return 1;
}

/** Wraps anything thrown into an OpError without leaking internals. */
export function toOpError(err: unknown): OpError {
  if (err instanceof OpError) return err;
  const message = err instanceof Error ? err.message : String(err);
  if (err && typeof err === 'object' && (err as { code?: string }).code === 'SQLITE_BUSY') {
    return new OpError('UNAVAILABLE', 'The database is busy; try again.');
  }
  return new OpError('INTERNAL', message || 'Internal error');
}

/** Long work stops between its steps once its caller cancels (a task canceled): CANCELED, saying what was kept. */
export function throwIfCanceled(signal: AbortSignal | undefined, message: string): void {
  if (signal?.aborted) throw new OpError('CANCELED', message);
}
