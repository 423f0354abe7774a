import { OpError } from '../kernel/ops/errors.js';

const LABEL_RE = /^[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?$/;

/** Lower case, no trailing dot: the one form names are stored and compared in. */
export function canonicalName(name: string): string {
  return name.trim().toLowerCase().replace(/\.$/, '');
}

function checkLabels(name: string, what: string, field: string): void {
  const bad = name.split('.').find((l) => !LABEL_RE.test(l));
  if (name.length > 253 || bad !== undefined) {
    throw new OpError('BAD_INPUT', `${what} '${name}' is not a valid DNS name: labels of 1-63 letters, digits, '-' or '_', 253 characters in all.`, {
      fields: [{ path: field, message: 'invalid DNS name' }],
    });
  }
}

/** A zone name such as example.com (at least two labels). */
export function zoneName(raw: string): string {
  const name = canonicalName(raw);
  checkLabels(name, 'The zone', 'zone');
  if (!name.includes('.')) {
    throw new OpError('BAD_INPUT', `The zone '${raw}' needs at least two labels, like example.com.`, { fields: [{ path: 'zone', message: 'needs a dot' }] });
  }
  return name;
}

/**
 * A record name relative to its zone: '@' or '' is the apex, 'www' a child, and a
 * fully qualified name inside the zone ('www.example.com.') is made relative.
 */
export function relativeName(raw: string, zone: string): string {
  const name = canonicalName(raw);
  if (name === '' || name === '@' || name === zone) return '@';
  const rel = name.endsWith('.' + zone) ? name.slice(0, -(zone.length + 1)) : name;
  checkLabels(rel, 'The record name', 'name');
  if (`${rel}.${zone}`.length > 253) {
    throw new OpError('BAD_INPUT', `The name '${rel}.${zone}' is longer than 253 characters.`, { fields: [{ path: 'name', message: 'too long' }] });
  }
  return rel;
}

/** A host name a record points at (CNAME, MX, NS targets). */
export function hostName(raw: string, field = 'value'): string {
  const name = canonicalName(raw);
  checkLabels(name, 'The host name', field);
  return name;
}

/** The absolute owner name of a relative record name. */
export function absoluteName(rel: string, zone: string): string {
  return rel === '@' ? zone : `${rel}.${zone}`;
}
