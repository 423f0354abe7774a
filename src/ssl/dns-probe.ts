import { randomBytes } from 'node:crypto';
import { Resolver } from 'node:dns/promises';
import { request } from 'node:http';
import type { Http01Responder } from './challenges.js';
import { CHALLENGE_PREFIX } from './challenges.js';

/**
 * Does `domain` point at this server? Resolves it, then asks each address on the
 * challenge port for a token only this process knows — true only if we answer.
 */
export async function pointsHere(domain: string, http01: Http01Responder, port: number, servers?: string[]): Promise<boolean> {
  const resolver = new Resolver({ timeout: 3000, tries: 2 });
  if (servers?.length) resolver.setServers(servers);
  const addrs = [...(await resolver.resolve4(domain).catch(() => [])), ...(await resolver.resolve6(domain).catch(() => []))];
  if (!addrs.length) return false;
  const token = `fazt-probe-${randomBytes(12).toString('hex')}`;
  const answer = randomBytes(16).toString('hex');
  http01.set(token, answer);
  try {
    for (const ip of addrs) if ((await fetchText(ip, port, domain, CHALLENGE_PREFIX + token)) === answer) return true;
    return false;
  } finally {
    http01.delete(token);
  }
}

function fetchText(ip: string, port: number, host: string, path: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    const req = request({ host: ip, port, path, headers: { host }, timeout: 3000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body.length < 200 ? (body += d) : undefined));
      res.on('end', () => resolve(res.statusCode === 200 ? body : undefined));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(undefined));
    req.end();
  });
}
