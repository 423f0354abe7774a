import type { IncomingMessage, ServerResponse } from 'node:http';
import { httpStatusFor, toOpError } from '../../kernel/ops/errors.js';
import { wwwAuthenticate } from './authenticate.js';

/** Returns the body bytes written, for access logs. */
export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): number {
  const data = JSON.stringify(body);
  const bytes = Buffer.byteLength(data);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': bytes, ...headers });
  res.end(data);
  return bytes;
}

/** The one place an error becomes an HTTP response. Returns the body bytes written (0 once headers were sent). */
export function sendError(res: ServerResponse, err: unknown, extraHeaders: Record<string, string> = {}): number {
  const e = toOpError(err);
  const status = httpStatusFor(e.code);
  const headers: Record<string, string> = { ...extraHeaders };
  const retryAfter = e.details?.retryAfter;
  if (status === 429 && typeof retryAfter === 'number') headers['retry-after'] = String(retryAfter);
  if (res.headersSent) {
    res.end();
    return 0;
  }
  return sendJson(res, status, { error: e.toJSON() }, headers);
}

/** sendError for authenticated routes: 401 and 403 also tell the client how to get (more) access. */
export function sendAuthError(req: IncomingMessage, res: ServerResponse, err: unknown): void {
  const e = toOpError(err);
  const headers: Record<string, string> = {};
  if (e.code === 'UNAUTHENTICATED') headers['www-authenticate'] = wwwAuthenticate(req, 'invalid_token');
  if (e.code === 'FORBIDDEN') headers['www-authenticate'] = wwwAuthenticate(req, 'insufficient_scope');
  sendError(res, e, headers);
}
