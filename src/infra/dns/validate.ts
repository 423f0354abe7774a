import { isIPv4, isIPv6 } from 'node:net';
import { OpError } from '../../kernel/ops/errors.js';
import { RECORD_TYPES, type RecordInput } from './types.js';

const LABEL = /^(?:\*|[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?)$/i;
const HOST = /^(?=.{1,253}\.?$)(?:[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9])?\.)*[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9])?\.?$/i;
const CAA = /^(\d{1,3}) (issue|issuewild|iodef) "([^"]*)"$/;

export const MIN_TTL = 30;
export const MAX_TTL = 604_800;

function bad(message: string, details?: Record<string, unknown>): OpError {
  return new OpError('BAD_INPUT', message, details);
}

export function validZoneName(zone: string): string {
  const z = zone.replace(/\.$/, '').toLowerCase();
  if (!HOST.test(z) || !z.includes('.')) throw bad(`'${zone}' is not a zone name such as example.com.`);
  return z;
}

/** A record name relative to its zone: '@' for the apex, else dot-separated labels ('*' may lead). */
export function validRecordName(name: string): string {
  const n = name.trim().toLowerCase();
  if (n === '@') return n;
  const labels = n.split('.');
  if (!labels.every((l, i) => LABEL.test(l) && (l !== '*' || i === 0)) || n.length > 253) {
    throw bad(`'${name}' is not a record name: use '@' for the zone apex, or labels like 'www' or '_acme-challenge.photos'.`);
  }
  return n;
}

/** Checks the value has the shape its type needs; returns the value to send. */
export function validRecord(rec: { name: string; type: string; value: string; ttl?: number; priority?: number }): RecordInput {
  const type = rec.type.toUpperCase();
  if (!(RECORD_TYPES as readonly string[]).includes(type)) throw bad(`DNS type '${rec.type}' is not supported; valid: ${RECORD_TYPES.join(', ')}.`, { valid: RECORD_TYPES });
  const name = validRecordName(rec.name);
  const v = rec.value.trim();
  const ttl = rec.ttl ?? 300;
  if (!Number.isInteger(ttl) || ttl < MIN_TTL || ttl > MAX_TTL) throw bad(`ttl must be a whole number of seconds from ${MIN_TTL} to ${MAX_TTL}, got ${rec.ttl}.`);
  if (rec.priority !== undefined && type !== 'MX') throw bad(`priority belongs to MX records only, not ${type}.`);
  switch (type) {
    case 'A':
      if (!isIPv4(v)) throw bad(`An A record's value is an IPv4 address like 203.0.113.10, got '${rec.value}'.`);
      break;
    case 'AAAA':
      if (!isIPv6(v)) throw bad(`An AAAA record's value is an IPv6 address like 2001:db8::1, got '${rec.value}'.`);
      break;
    case 'CNAME':
    case 'NS':
      if (!HOST.test(v) || isIPv4(v)) throw bad(`A ${type} record's value is a host name like target.example.com, got '${rec.value}'.`);
      if (type === 'CNAME' && name === '@') throw bad('A CNAME cannot sit at the zone apex (@); use an A or AAAA record there.');
      break;
    case 'MX':
      if (rec.priority === undefined || !Number.isInteger(rec.priority) || rec.priority < 0 || rec.priority > 65535) throw bad('An MX record needs priority, a whole number 0-65535 (lower is preferred).');
      if (!HOST.test(v) || isIPv4(v)) throw bad(`An MX record's value is a mail host name like mail.example.com, got '${rec.value}'.`);
      break;
    case 'TXT':
      if (!v.length || v.length > 4000) throw bad('A TXT record needs text of 1-4000 characters.');
      if (/[\u0000-\u001f]/.test(v)) throw bad('A TXT record cannot hold control characters.');
      break;
    case 'CAA': {
      const m = CAA.exec(v);
      if (!m || Number(m[1]) > 255) throw bad(`A CAA record's value is 'flags tag "value"', e.g. '0 issue "letsencrypt.org"', with tag issue, issuewild or iodef; got '${rec.value}'.`);
      break;
    }
  }
  return { name, type: type as RecordInput['type'], value: type === 'TXT' ? v : type === 'CAA' ? v : v.replace(/\.$/, ''), ttl, ...(rec.priority !== undefined ? { priority: rec.priority } : {}) };
}

/** TXT values some providers keep quoted ("a" "b"); fazt shows the text itself. */
export function unquoteTxt(v: string): string {
  const parts = v.match(/"((?:[^"\\]|\\.)*)"/g);
  if (!parts) return v;
  return parts.map((p) => p.slice(1, -1).replace(/\\(.)/g, '$1')).join('');
}

/** Quotes text as DNS character-strings of at most 255 bytes each. */
export function quoteTxt(v: string): string {
  const chunks: string[] = [];
  for (let i = 0; i < v.length; i += 255) chunks.push(v.slice(i, i + 255));
  return chunks.map((c) => `"${c.replace(/(["\\])/g, '\\$1')}"`).join(' ');
}
