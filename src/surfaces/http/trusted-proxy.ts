import type { IncomingMessage } from 'node:http';
import { anyContains, parseCidrList, type Cidr } from '../../kernel/cidr.js';
import { USER_HEADER } from '../../runtime/http/user.js';

/**
 * Identity headers only a trusted upstream may set (a proxy that signs users
 * in). From anyone else they are removed before any handler or app sees them,
 * judged by the socket's peer address, never by X-Forwarded-For.
 */
export function identityHeaderGuard(trustedProxies: readonly string[]): (req: IncomingMessage) => void {
  const ranges: Cidr[] = parseCidrList([...trustedProxies]);
  return (req) => {
    if (req.headers[USER_HEADER] === undefined) return;
    if (ranges.length && anyContains(ranges, req.socket.remoteAddress)) return;
    delete req.headers[USER_HEADER];
  };
}
