import type { ServerResponse } from 'node:http';
import { httpStatusFor, toOpError } from '../../kernel/ops/errors.js';

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
