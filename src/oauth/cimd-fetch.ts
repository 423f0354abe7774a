import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { request } from 'node:https';
import { isIP } from 'node:net';
import { isPublicAddress } from './address-policy.js';
import { OAuthError } from './oauth-error.js';

export interface FetchLimits {
  /** Largest document accepted, in bytes. */
  maxBytes: number;
  /** Whole fetch, redirects included. */
  timeoutMs: number;
  maxRedirects: number;
  /** Origins allowed to resolve to private or loopback addresses (tests only). */
  allowPrivateOrigins: ReadonlySet<string>;
  /** Extra CA certificates to trust (PEM), for a test server's self-signed certificate. */
  ca?: string;
}

export const DEFAULT_FETCH_LIMITS: FetchLimits = { maxBytes: 5 * 1024, timeoutMs: 5_000, maxRedirects: 3, allowPrivateOrigins: new Set() };

function refuse(message: string): never {
  throw new OAuthError('invalid_client', message);
}

/** https only, no credentials or fragment, and a path: the rules for a URL that names a client. */
export function checkClientIdUrl(raw: string): URL {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    refuse(`client_id '${raw}' is neither a registered client nor a URL.`);
  }
  if (u.protocol !== 'https:') refuse(`client_id '${raw}': a client metadata document must be served over https.`);
  if (u.username || u.password || u.hash) refuse(`client_id '${raw}' must not carry credentials or a fragment.`);
  if (u.pathname === '/' || u.pathname === '') refuse(`client_id '${raw}' must have a path.`);
  return u;
}

/**
 * Resolves like dns.lookup but refuses a name any of whose addresses is not public.
 * Checked at connect time, so a name cannot pass the check and then rebind.
 */
function guardedLookup(allowPrivate: boolean) {
  return (hostname: string, options: object, callback: (err: Error | null, address: string | LookupAddress[], family?: number) => void) => {
    dnsLookup(hostname, { ...options, all: true }, (err, addresses: LookupAddress[]) => {
      if (err) return callback(err, '', 0);
      const blocked = addresses.find((a) => !allowPrivate && !isPublicAddress(a.address));
      if (blocked) return callback(new Error(`${hostname} resolves to ${blocked.address}, a private or loopback address`), '', 0);
      if ((options as { all?: boolean }).all) return callback(null, addresses);
      callback(null, addresses[0].address, addresses[0].family);
    });
  };
}

interface Hop {
  status: number;
  location?: string;
  body?: Buffer;
  contentType?: string;
}

function fetchOnce(url: URL, limits: FetchLimits, deadline: number): Promise<Hop> {
  const allowPrivate = limits.allowPrivateOrigins.has(url.origin);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (isIP(host) && !allowPrivate && !isPublicAddress(host)) refuse(`client_id host ${url.hostname} is a private or loopback address.`);
  return new Promise((resolve, reject) => {
    const left = deadline - Date.now();
    if (left <= 0) return reject(new OAuthError('invalid_client', 'Fetching the client metadata document took too long.'));
    const req = request(
      url,
      { method: 'GET', headers: { accept: 'application/json' }, lookup: guardedLookup(allowPrivate) as never, ca: limits.ca, timeout: left, agent: false },
      (res) => {
        const status = res.statusCode ?? 0;
        if (status >= 300 && status < 400) {
          res.resume();
          return resolve({ status, location: res.headers.location });
        }
        const declared = Number(res.headers['content-length'] ?? 0);
        if (declared > limits.maxBytes) {
          res.destroy();
          return reject(new OAuthError('invalid_client', `The client metadata document is larger than ${limits.maxBytes} bytes.`));
        }
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          size += c.length;
          if (size > limits.maxBytes) {
            res.destroy();
            reject(new OAuthError('invalid_client', `The client metadata document is larger than ${limits.maxBytes} bytes.`));
          } else chunks.push(c);
        });
        res.on('end', () => resolve({ status, body: Buffer.concat(chunks), contentType: res.headers['content-type'] }));
        res.on('error', reject);
      },
    );
    const timer = setTimeout(() => req.destroy(new OAuthError('invalid_client', 'Fetching the client metadata document took too long.')), left);
    req.on('close', () => clearTimeout(timer));
    req.on('timeout', () => req.destroy(new OAuthError('invalid_client', 'Fetching the client metadata document took too long.')));
    req.on('error', (err) => reject(err instanceof OAuthError ? err : new OAuthError('invalid_client', `Could not fetch the client metadata document: ${err.message}.`)));
    req.end();
  });
}

/**
 * Fetches a Client ID Metadata Document with SSRF guards: https only, public
 * addresses only (checked when connecting), a size cap, a deadline for the whole
 * fetch, and at most `maxRedirects` redirects, each checked the same way.
 */
export async function fetchClientDocument(clientId: string, limits: FetchLimits): Promise<unknown> {
  let url = checkClientIdUrl(clientId);
  const deadline = Date.now() + limits.timeoutMs;
  for (let hop = 0; ; hop++) {
    const r = await fetchOnce(url, limits, deadline);
    if (r.location !== undefined) {
      if (hop >= limits.maxRedirects) refuse(`The client metadata document redirected more than ${limits.maxRedirects} times.`);
      url = checkClientIdUrl(new URL(r.location, url).href);
      continue;
    }
    if (r.status !== 200) refuse(`Fetching the client metadata document answered HTTP ${r.status}.`);
    if (!/\bjson\b/i.test(r.contentType ?? '')) refuse('The client metadata document is not JSON (content-type).');
    try {
      return JSON.parse(r.body!.toString('utf8'));
    } catch {
      refuse('The client metadata document is not valid JSON.');
    }
  }
}
