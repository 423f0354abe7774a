import { isIPv4, isIPv6 } from 'node:net';
import { OpError } from '../kernel/ops/errors.js';
import { hostName } from './names.js';
import { RECORD_TYPES, type BuiltinRecordType } from './types.js';

/** Longest TXT value accepted: it is sent as 255-byte strings, and must fit a TCP answer. */
export const MAX_TXT_BYTES = 4000;
const CAA_TAG_RE = /^[a-z0-9]{1,15}$/i;

export interface CheckedValue {
  value: string;
  priority?: number;
}

function bad(type: string, message: string, field = 'value'): OpError {
  return new OpError('BAD_INPUT', `${type} record: ${message}`, { fields: [{ path: field, message }] });
}

export function recordType(raw: string): BuiltinRecordType {
  const t = raw.trim().toUpperCase();
  if (!(RECORD_TYPES as readonly string[]).includes(t)) {
    throw new OpError('BAD_INPUT', `Unknown record type '${raw}'. Valid types: ${RECORD_TYPES.join(', ')}.`, {
      fields: [{ path: 'type', message: `one of ${RECORD_TYPES.join(', ')}` }],
    });
  }
  return t as BuiltinRecordType;
}

function uint(type: string, text: string, max: number, what: string): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || n > max) throw bad(type, `${what} must be a whole number 0-${max}, got '${text}'.`);
  return n;
}

/** Checks a value for its type and returns the stored form (MX keeps its priority apart). */
export function checkValue(type: BuiltinRecordType, raw: string, priority?: number): CheckedValue {
  const value = raw.trim();
  if (priority !== undefined && type !== 'MX') throw bad(type, 'only MX records take a priority.', 'priority');
  switch (type) {
    case 'A':
      if (!isIPv4(value)) throw bad(type, `'${raw}' is not an IPv4 address (like 203.0.113.10).`);
      return { value };
    case 'AAAA':
      if (!isIPv6(value)) throw bad(type, `'${raw}' is not an IPv6 address (like 2001:db8::1).`);
      return { value: value.toLowerCase() };
    case 'CNAME':
    case 'NS':
      return { value: hostName(value) };
    case 'MX':
      return checkMx(value, priority);
    case 'TXT':
      if (!value.length) throw bad(type, 'the value is empty.');
      if (Buffer.byteLength(raw) > MAX_TXT_BYTES) throw bad(type, `the value is longer than ${MAX_TXT_BYTES} bytes.`);
      return { value: raw };
    case 'CAA':
      return { value: checkCaa(value) };
    case 'SOA':
      return { value: checkSoa(value) };
  }
}

/** `10 mail.example.com`, or the host alone with `priority`. */
function checkMx(value: string, priority?: number): CheckedValue {
  const parts = value.split(/\s+/);
  let host = value;
  let pri = priority;
  if (parts.length === 2) {
    const inValue = uint('MX', parts[0], 65535, 'the priority');
    if (pri !== undefined && pri !== inValue) throw bad('MX', `the value says priority ${inValue} but priority is ${pri}.`, 'priority');
    pri = inValue;
    host = parts[1];
  } else if (parts.length !== 1) {
    throw bad('MX', `'${value}' is not '<priority> <host>' (like '10 mail.example.com').`);
  }
  if (pri === undefined) throw bad('MX', `a priority is needed: '10 ${value}' or priority: 10.`, 'priority');
  if (!Number.isInteger(pri) || pri < 0 || pri > 65535) throw bad('MX', `the priority must be 0-65535, got ${pri}.`, 'priority');
  return { value: hostName(host), priority: pri };
}

/** `0 issue "letsencrypt.org"`: flags, tag, quoted (or bare) value. */
function checkCaa(value: string): string {
  const m = /^(\d+)\s+(\S+)\s+(?:"([^"]*)"|(\S+))$/.exec(value);
  if (!m) throw bad('CAA', `'${value}' is not '<flags> <tag> "<value>"' (like '0 issue "letsencrypt.org"').`);
  const flags = uint('CAA', m[1], 255, 'the flags');
  if (!CAA_TAG_RE.test(m[2])) throw bad('CAA', `the tag '${m[2]}' must be 1-15 letters or digits (issue, issuewild, iodef).`);
  const v = m[3] ?? m[4];
  if (Buffer.byteLength(v) > 255) throw bad('CAA', 'the value is longer than 255 bytes.');
  return `${flags} ${m[2].toLowerCase()} "${v}"`;
}

/** `mname rname serial refresh retry expire minimum`; the serial is the zone's own, whatever is written. */
function checkSoa(value: string): string {
  const parts = value.split(/\s+/);
  if (parts.length !== 7) throw bad('SOA', `'${value}' is not 'mname rname serial refresh retry expire minimum'.`);
  const [mname, rname, ...nums] = parts;
  const [serial, refresh, retry, expire, minimum] = nums.map((n, i) => uint('SOA', n, 0xffffffff, ['the serial', 'refresh', 'retry', 'expire', 'minimum'][i]));
  return `${hostName(mname)} ${hostName(rname)} ${serial} ${refresh} ${retry} ${expire} ${minimum}`;
}

export interface SoaFields {
  mname: string;
  rname: string;
  serial: number;
  refresh: number;
  retry: number;
  expire: number;
  minimum: number;
}

export function parseSoa(value: string): SoaFields {
  const [mname, rname, serial, refresh, retry, expire, minimum] = value.split(' ');
  return { mname, rname, serial: Number(serial), refresh: Number(refresh), retry: Number(retry), expire: Number(expire), minimum: Number(minimum) };
}

export function formatSoa(s: SoaFields): string {
  return `${s.mname} ${s.rname} ${s.serial} ${s.refresh} ${s.retry} ${s.expire} ${s.minimum}`;
}

export function parseCaa(value: string): { flags: number; tag: string; value: string } {
  const m = /^(\d+) (\S+) "(.*)"$/.exec(value)!;
  return { flags: Number(m[1]), tag: m[2], value: m[3] };
}

/** TXT goes on the wire as character-strings of at most 255 bytes each. */
export function txtChunks(value: string): Buffer[] {
  const all = Buffer.from(value, 'utf8');
  const out: Buffer[] = [];
  for (let i = 0; i < all.length; i += 255) out.push(all.subarray(i, i + 255));
  return out.length ? out : [Buffer.alloc(0)];
}
