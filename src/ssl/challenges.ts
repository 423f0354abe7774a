import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RouteInfo } from '../kernel/kernel.js';

export const CHALLENGE_PREFIX = '/.well-known/acme-challenge/';

/**
 * HTTP-01 answers, held only while a challenge is open. Served on any Host
 * before app routing, because the CA asks on the domain being validated.
 */
export class Http01Responder {
  private readonly tokens = new Map<string, string>();

  set(token: string, keyAuthorization: string): void {
    this.tokens.set(token, keyAuthorization);
  }

  delete(token: string): void {
    this.tokens.delete(token);
  }

  accepts = (route: RouteInfo): boolean => route.path.startsWith(CHALLENGE_PREFIX);

  handler = (_req: IncomingMessage, res: ServerResponse, route: RouteInfo): boolean => {
    const token = route.path.slice(CHALLENGE_PREFIX.length);
    const answer = this.tokens.get(token);
    res.writeHead(answer === undefined ? 404 : 200, { 'content-type': 'text/plain', 'cache-control': 'no-store' });
    res.end(answer ?? 'No such challenge.\n');
    return true;
  };
}

/**
 * Sets and clears the `_acme-challenge` TXT record DNS-01 needs. One file per
 * DNS service; wildcard certificates can only be validated this way.
 */
export interface Dns01Solver {
  readonly name: string;
  /** `fqdn` is the full record name, e.g. `_acme-challenge.example.com`. */
  setTxt(fqdn: string, value: string): Promise<void>;
  removeTxt(fqdn: string, value: string): Promise<void>;
}
