import type { IncomingMessage } from 'node:http';

/**
 * True unless the browser says the request came from another origin. Browsers
 * send Sec-Fetch-Site (and Origin on POST); a sibling app on <slug>.<domain> is
 * "same-site" yet another origin, so only same-origin (or a typed URL, "none") passes.
 */
export function sameOriginRequest(req: IncomingMessage): boolean {
  const site = req.headers['sec-fetch-site'];
  if (typeof site === 'string' && site !== 'same-origin' && site !== 'none') return false;
  const origin = req.headers.origin;
  if (typeof origin === 'string') {
    // The host, not the scheme: behind a TLS proxy this server sees plain HTTP.
    let host: string;
    try {
      host = new URL(origin).host;
    } catch {
      return false;
    }
    if (host.toLowerCase() !== (req.headers.host ?? '').toLowerCase()) return false;
  }
  return true;
}
