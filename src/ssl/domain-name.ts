import { isIP } from 'node:net';
import { OpError } from '../kernel/ops/errors.js';

const LABEL_RE = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/**
 * A host name a certificate or a custom domain may carry: lower-case DNS labels,
 * at least two of them, an optional leading `*.`; never an IP literal, a URL or a port.
 */
export function normalizeDomain(raw: string, opts: { wildcard?: boolean; field?: string } = {}): string {
  const field = opts.field ?? 'domain';
  const bad = (why: string) =>
    new OpError('BAD_INPUT', `'${String(raw).slice(0, 100)}' is not a domain name: ${why}. Give a name like photos.example.com${opts.wildcard ? ' or *.example.com' : ''}.`, {
      fields: [{ path: field, message: why }],
    });
  if (typeof raw !== 'string') throw bad('it is not text');
  const d = raw.trim().toLowerCase().replace(/\.$/, '');
  if (!d) throw bad('it is empty');
  if (d.length > 253) throw bad('it is longer than 253 characters');
  if (isIP(d.replace(/^\[|\]$/g, ''))) throw bad('IP addresses cannot be custom domains');
  if (/[/:@?#\s]/.test(d)) throw bad('give the bare host name, without scheme, port or path');
  if (/[^\x00-\x7f]/.test(d)) throw bad('write internationalised names in their xn-- (punycode) form');
  const labels = d.split('.');
  const wild = labels[0] === '*';
  if (wild && !opts.wildcard) throw bad('wildcards are not allowed here');
  const rest = wild ? labels.slice(1) : labels;
  if (rest.includes('*')) throw bad("'*' may only be the whole first label");
  if (rest.length < 2) throw bad('it needs at least two labels');
  for (const l of rest) if (!LABEL_RE.test(l)) throw bad(`the label '${l.slice(0, 63)}' is not 1-63 of a-z, 0-9 and inner '-'`);
  if (/^[0-9]+$/.test(rest[rest.length - 1])) throw bad('the last label cannot be all digits');
  return d;
}

const LOCAL_SUFFIXES = ['localhost', 'test', 'local', 'internal', 'lan', 'home.arpa', 'example', 'invalid'];

/** Names no public CA will certify: these get certificates from the local CA. */
export function isPrivateName(domain: string): boolean {
  const d = domain.replace(/^\*\./, '');
  return d === 'localhost' || LOCAL_SUFFIXES.some((s) => d === s || d.endsWith(`.${s}`)) || !d.includes('.');
}

/** True when `host` is covered by a certificate for `name` (exact, or one label under a wildcard). */
export function nameCovers(name: string, host: string): boolean {
  if (name === host) return true;
  if (!name.startsWith('*.')) return false;
  const dot = host.indexOf('.');
  return dot > 0 && host.slice(dot + 1) === name.slice(2);
}
