import type { IncomingMessage } from 'node:http';
import { PRESENCE_HEADER } from '../../auth/presence.js';

const FAZT_TOKEN = /fzt_[a-f0-9]{12}_/;

/** Keeps the cookies that are not fazt's own (named with a `fazt` prefix, any case); undefined when none are left. */
function appCookies(header: string): string | undefined {
  const kept = header.split(';').map((c) => c.trim()).filter((c) => c && !/^fazt/i.test(c));
  return kept.length ? kept.join('; ') : undefined;
}

/**
 * The request headers an app sees, names lower-case: everything the client
 * sent except fazt's own credentials — an Authorization carrying a fazt token,
 * fazt's cookies and the CLI's presence secret — which belong to the server,
 * never to app code.
 */
export function appVisibleHeaders(req: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) {
    if (v === undefined) continue;
    const name = k.toLowerCase();
    const value = Array.isArray(v) ? v.join(name === 'cookie' ? '; ' : ', ') : v;
    if (name === PRESENCE_HEADER) continue;
    if (name === 'authorization' && FAZT_TOKEN.test(value)) continue;
    if (name === 'cookie') {
      const kept = appCookies(value);
      if (kept !== undefined) headers.cookie = kept;
      continue;
    }
    headers[name] = value;
  }
  return headers;
}
