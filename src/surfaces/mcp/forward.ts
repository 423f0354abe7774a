import { request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { sendRpcError } from './http-util.js';

/** Connection-level headers that describe one hop, never the message. */
const HOP = new Set(['connection', 'keep-alive', 'proxy-authenticate', 'proxy-authorization', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'host']);

/**
 * Streams one request to `base` + `path` and the answer back (event streams
 * included). With `token`, the request is sent as that token whatever the
 * client sent.
 */
export function forwardRequest(req: IncomingMessage, res: ServerResponse, base: URL, path: string, token?: string): void {
  const headers: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(req.headers)) if (v !== undefined && !HOP.has(k)) headers[k] = v;
  headers.host = base.host;
  if (token) headers.authorization = `Bearer ${token}`;
  const send = base.protocol === 'https:' ? httpsRequest : httpRequest;
  const upstream = send(new URL(path, base), { method: req.method, headers }, (up) => {
    const out: Record<string, string | string[]> = {};
    for (const [k, v] of Object.entries(up.headers)) if (v !== undefined && !HOP.has(k)) out[k] = v;
    res.writeHead(up.statusCode ?? 502, out);
    res.flushHeaders();
    up.pipe(res);
  });
  upstream.on('error', (err) => sendRpcError(res, 502, -32000, `The fazt server at ${base.origin} did not answer: ${err.message}`));
  // A client that goes away (closing an event stream) ends the upstream request too.
  res.on('close', () => {
    if (!res.writableFinished) upstream.destroy();
  });
  req.pipe(upstream);
}
