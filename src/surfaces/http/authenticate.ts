import type { IncomingMessage } from 'node:http';
import { callerForToken, verifyFailureMessage } from '../../auth/tokens.js';
import type { Kernel } from '../../kernel/kernel.js';
import type { Caller } from '../../kernel/ops/define.js';
import { OpError } from '../../kernel/ops/errors.js';

/** Header the CLI and dashboard send when the owner is at the keyboard and confirmed. */
export const HUMAN_HEADER = 'x-fazt-human';

export function bearerToken(req: IncomingMessage): string | undefined {
  const h = req.headers.authorization;
  if (!h) return undefined;
  const m = /^Bearer\s+(.+)$/i.exec(h);
  return m ? m[1].trim() : undefined;
}

/**
 * Turns `Authorization: Bearer <token>` into a Caller, or throws UNAUTHENTICATED.
 * Only the owner key can claim a present human, and only by saying so explicitly.
 */
export function authenticate(kernel: Kernel, req: IncomingMessage): Caller {
  const token = bearerToken(req);
  if (!token) throw new OpError('UNAUTHENTICATED', 'Missing token: send Authorization: Bearer <token>.');
  const v = kernel.tokens.verify(token);
  if (!v.ok) throw new OpError('UNAUTHENTICATED', verifyFailureMessage(v.reason), { reason: v.reason });
  const caller = callerForToken(v.info);
  if (caller.kind === 'owner' && req.headers[HUMAN_HEADER] === '1') caller.human = true;
  return caller;
}

/** The CLI labels its calls so the audit trail tells a terminal from other HTTP clients. */
export function surfaceOf(req: IncomingMessage): 'cli' | 'http' {
  return req.headers['x-fazt-surface'] === 'cli' ? 'cli' : 'http';
}

/** RFC 9728: where a client learns how to get a token for this resource. */
export function wwwAuthenticate(req: IncomingMessage, error?: string): string {
  const base = `http://${req.headers.host ?? 'localhost'}`;
  return `Bearer realm="fazt", resource_metadata="${base}/.well-known/oauth-protected-resource"${error ? `, error="${error}"` : ''}`;
}
