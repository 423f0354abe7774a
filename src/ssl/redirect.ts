import type { IncomingMessage, ServerResponse } from 'node:http';
import { isIP } from 'node:net';
import type { TLSSocket } from 'node:tls';
import type { RouteInfo } from '../kernel/kernel.js';
import { CHALLENGE_PREFIX } from './challenges.js';

/** --http-redirect: plain HTTP to a named host gets a 308 to the same URL over HTTPS (ACME challenges excepted). */
export function httpsRedirect(httpsPort: () => number | undefined) {
  return function redirectToHttps(req: IncomingMessage, res: ServerResponse, route: RouteInfo): boolean {
    const port = httpsPort();
    if (port === undefined || (req.socket as TLSSocket).encrypted || route.path.startsWith(CHALLENGE_PREFIX)) return false;
    const raw = (req.headers.host ?? '').toLowerCase();
    const host = raw.startsWith('[') ? raw.slice(0, raw.indexOf(']') + 1) : raw.split(':')[0];
    // IP literals and localhost carry no certificate name: the local CLI talks to them over plain HTTP.
    if (!host || host === 'localhost' || isIP(host.replace(/^\[|\]$/g, '')) || !/^[a-z0-9.-]+$/.test(host)) return false;
    res.writeHead(308, { location: `https://${host}${port === 443 ? '' : `:${port}`}${req.url ?? '/'}`, 'content-length': '0' });
    res.end();
    return true;
  };
}
