import type { IncomingMessage } from 'node:http';
import type { Kernel } from '../../kernel/kernel.js';
import type { Surface } from '../../kernel/ops/define.js';
import { toOpError } from '../../kernel/ops/errors.js';

export interface AuthAttempt {
  /** The op asked for, or the endpoint (`mcp`, `mcp.<slug>`). */
  op: string;
  surface: Surface;
  requestId: string;
  /** Given when the surface writes no access-log row of its own: the refused request gets one here. */
  access?: { slug: string; path: string; started: number };
}

/** The socket's peer, IPv4-mapped IPv6 shown as IPv4. Never X-Forwarded-For: a client writes that. */
export function clientIp(req: IncomingMessage): string {
  const a = req.socket.remoteAddress ?? 'unknown';
  return a.startsWith('::ffff:') && a.includes('.') ? a.slice(7) : a;
}

/**
 * The one place a refused authentication is recorded, whatever the surface:
 * an audit row (outcome unauthenticated, op, reason, client address — never
 * the presented token) within a per-client budget, and an access-log row with
 * it. Anything but UNAUTHENTICATED is not an authentication failure and is ignored.
 */
export function recordAuthFailure(kernel: Kernel, req: IncomingMessage, err: unknown, attempt: AuthAttempt): void {
  const e = toOpError(err);
  if (e.code !== 'UNAUTHENTICATED') return;
  const reason = typeof e.details?.reason === 'string' ? e.details.reason : 'missing';
  const written = kernel.audit.authFailures.record({ op: attempt.op, surface: attempt.surface, reason, ip: clientIp(req), requestId: attempt.requestId });
  if (!written || !attempt.access) return;
  const { slug, path, started } = attempt.access;
  kernel.requests.emit({ appId: null, slug, kind: 'kernel', method: req.method ?? 'GET', path, status: 401, durationMs: Date.now() - started, bytes: 0, requestId: attempt.requestId });
}
