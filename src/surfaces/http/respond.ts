import type { IncomingMessage, ServerResponse } from 'node:http';
import { httpStatusFor, toOpError } from '../../kernel/ops/errors.js';
import { wwwAuthenticate } from './authenticate.js';

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const data = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(data), ...headers });
  res.end(data);
}

/** The one place an error becomes an HTTP response. */
export function sendError(res: ServerResponse, err: unknown, extraHeaders: Record<string, string> = {}): void {
  const e = toOpError(err);
  const status = httpStatusFor(e.code);
  const headers: Record<string, string> = { ...extraHeaders };
  const retryAfter = e.details?.retryAfter;
  if (status === 429 && typeof retryAfter === 'number') headers['retry-after'] = String(retryAfter);
  if (res.headersSent) return void res.end();
  sendJson(res, status, { error: e.toJSON() }, headers);
}

/** sendError for authenticated routes: 401 and 403 also tell the client how to get (more) access. */
export function sendAuthError(req: IncomingMessage, res: ServerResponse, err: unknown): void {
  const e = toOpError(err);
  const headers: Record<string, string> = {};
  if (e.code === 'UNAUTHENTICATED') headers['www-authenticate'] = wwwAuthenticate(req, 'invalid_token');
  if (e.code === 'FORBIDDEN') headers['www-authenticate'] = wwwAuthenticate(req, 'insufficient_scope');
  sendError(res, e, headers);
}
