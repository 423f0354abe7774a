import type { IncomingMessage } from 'node:http';
import { PRESENCE_HEADER } from '../../auth/presence.js';
import { callerForToken, verifyFailureMessage } from '../../auth/tokens.js';
import { isLoopback } from '../../kernel/cidr.js';
import type { Kernel } from '../../kernel/kernel.js';
import type { Caller } from '../../kernel/ops/define.js';
import { OpError } from '../../kernel/ops/errors.js';
import { recordAuthFailure, type AuthAttempt } from './auth-failure.js';
import { requestOrigin } from './origin.js';

/** Header the CLI sends when the owner at the keyboard confirmed; it counts only with the presence proof. */
export const HUMAN_HEADER = 'x-fazt-human';

export function bearerToken(req: IncomingMessage): string | undefined {
  const h = req.headers.authorization;
  if (!h) return undefined;
  const m = /^Bearer\s+(.+)$/i.exec(h);
  return m ? m[1].trim() : undefined;
}

/**
 * True when the request carries this server's presence secret over a loopback
 * connection: it comes from someone who can read the data dir on this machine.
 */
export function provesPresence(kernel: Kernel, req: IncomingMessage): boolean {
  const presented = req.headers[PRESENCE_HEADER];
  const presence = kernel.services.presence;
  return !!presence && typeof presented === 'string' && isLoopback(req.socket.remoteAddress) && presence.matches(presented);
}

/**
 * Turns `Authorization: Bearer <token>` into a Caller, or throws UNAUTHENTICATED
 * (details.reason: missing, malformed, unknown, revoked, expired). Only the
 * owner key with the presence proof can be a present human, and only by saying so;
 * or a signed-in owner browser (see auth/owner-sessions.ts), whose calls must come
 * from its own origin and carry the CSRF token (else FORBIDDEN).
 */
export function authenticate(kernel: Kernel, req: IncomingMessage, resourcePath?: string): Caller {
  const token = bearerToken(req);
  // A signed-in owner browser (session cookie): checked only when no bearer token is sent.
  const browser = token ? undefined : kernel.services.ownerSessions?.callerFor(req);
  if (browser) return browser;
  if (!token) throw new OpError('UNAUTHENTICATED', 'Missing token: send Authorization: Bearer <token>.', { reason: 'missing' });
  const v = kernel.tokens.verify(token);
  if (!v.ok) throw new OpError('UNAUTHENTICATED', verifyFailureMessage(v.reason), { reason: v.reason });
  // RFC 8707: a token issued over OAuth for one resource (an MCP endpoint) is refused everywhere else.
  const audience = kernel.services.oauth?.audienceOf(v.info.id);
  if (audience !== undefined && audience !== resourcePath) {
    throw new OpError('UNAUTHENTICATED', `This token was issued for ${audience} and is not valid here.`, { reason: 'audience' });
  }
  const caller = callerForToken(v.info);
  if (caller.kind === 'owner' && req.headers[HUMAN_HEADER] === '1' && provesPresence(kernel, req)) caller.human = true;
  return caller;
}

/**
 * What the HTTP API and the event/log streams call: the caller and the surface
 * the transport proves, with a refused authentication recorded before it is thrown.
 */
export function authenticateCall(kernel: Kernel, req: IncomingMessage, attempt: AuthAttempt): { caller: Caller; surface: 'cli' | 'http' } {
  try {
    return { caller: authenticate(kernel, req), surface: surfaceOf(kernel, req) };
  } catch (err) {
    recordAuthFailure(kernel, req, err, attempt);
    throw err;
  }
}

/** The surface comes from the transport: the CLI on this machine proves presence, anything else is HTTP. */
export function surfaceOf(kernel: Kernel, req: IncomingMessage): 'cli' | 'http' {
  return provesPresence(kernel, req) ? 'cli' : 'http';
}

/** RFC 9728: where a client learns how to get a token for this resource. */
export function wwwAuthenticate(req: IncomingMessage, error?: string, kernel?: Kernel, resourcePath?: string): string {
  const base = kernel ? requestOrigin(kernel, req) : `http://${req.headers.host ?? 'localhost'}`;
  // RFC 9728 §3.1: another resource on this host (an app's MCP endpoint) has its metadata under its own path.
  const suffix = resourcePath && resourcePath !== '/mcp' ? resourcePath : '';
  return `Bearer realm="fazt", resource_metadata="${base}/.well-known/oauth-protected-resource${suffix}"${error ? `, error="${error}"` : ''}`;
}
