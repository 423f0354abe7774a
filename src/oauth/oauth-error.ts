import type { ServerResponse } from 'node:http';

/** RFC 6749 §5.2 error codes, plus RFC 7591's and RFC 8707's. */
export type OAuthErrorCode =
  | 'invalid_request'
  | 'invalid_client'
  | 'invalid_grant'
  | 'unauthorized_client'
  | 'unsupported_grant_type'
  | 'unsupported_response_type'
  | 'invalid_scope'
  | 'invalid_target'
  | 'access_denied'
  | 'invalid_redirect_uri'
  | 'invalid_client_metadata'
  | 'temporarily_unavailable'
  | 'server_error';

/** An error an OAuth endpoint answers with `{error, error_description}`. */
export class OAuthError extends Error {
  constructor(readonly code: OAuthErrorCode, message: string, readonly status = code === 'invalid_client' ? 401 : 400) {
    super(message);
    this.name = 'OAuthError';
  }
}

/** Token responses and errors must never be cached (RFC 6749 §5.1). */
export const NO_STORE = { 'cache-control': 'no-store', pragma: 'no-cache' };

export function sendOAuthJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const data = Buffer.from(JSON.stringify(body));
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': String(data.length), ...NO_STORE, ...headers });
  res.end(data);
}

export function sendOAuthError(res: ServerResponse, err: unknown): void {
  if (err instanceof OAuthError) {
    const headers: Record<string, string> = err.code === 'invalid_client' ? { 'www-authenticate': 'Basic realm="fazt"' } : {};
    return sendOAuthJson(res, err.status, { error: err.code, error_description: err.message }, headers);
  }
  const status = (err as { code?: string }).code === 'TOO_LARGE' ? 413 : 500;
  sendOAuthJson(res, status, { error: status === 413 ? 'invalid_request' : 'server_error', error_description: status === 413 ? (err as Error).message : 'The server could not answer this request.' });
}
