import { isIP } from 'node:net';
import { OpError } from '../kernel/ops/errors.js';

const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

/** A fully qualified host name (not an IP, not a single label), lower-cased, or a clear error. */
export function hostName(raw: string, field = 'domain'): string {
  const d = raw.trim().toLowerCase().replace(/\.$/, '');
  const why = isIP(d)
    ? 'is an IP address; give a host name like photos.example.com'
    : d.length > 253
      ? 'is longer than 253 characters'
      : !d.includes('.')
        ? 'needs a dot: give the full name, like photos.example.com'
        : !d.split('.').every((l) => LABEL.test(l))
          ? 'is not a host name: letters, digits and hyphens between dots'
          : /^\d+$/.test(d.split('.').at(-1)!)
            ? 'ends in a number, which no top-level domain does'
            : null;
  if (why) throw new OpError('BAD_INPUT', `${field}: '${raw}' ${why}.`, { fields: [{ path: field, message: why }] });
  return d;
}
