import { isIP } from 'node:net';

/** An address range: IPv4 or IPv6 bytes and how many leading bits must match. */
export interface Cidr {
  text: string;
  bytes: Buffer;
  bits: number;
}

function v4Bytes(addr: string): Buffer {
  return Buffer.from(addr.split('.').map(Number));
}

/** 16 bytes of a valid IPv6 address (`::` and a trailing dotted IPv4 part expanded). */
function v6Bytes(addr: string): Buffer {
  // A trailing dotted quad is two groups: ::ffff:1.2.3.4 → ::ffff:102:304.
  const text = addr.replace(/(\d+)\.(\d+)\.(\d+)\.(\d+)$/, (_m, a, b, c, d) =>
    `${((+a << 8) | +b).toString(16)}:${((+c << 8) | +d).toString(16)}`);
  const groups = (s: string) => (s ? s.split(':').map((h) => parseInt(h, 16)) : []);
  const halves = text.split('::');
  const left = groups(halves[0]);
  const right = halves.length > 1 ? groups(halves[1]) : [];
  const all = [...left, ...new Array(8 - left.length - right.length).fill(0), ...right];
  const out = Buffer.alloc(16);
  all.forEach((g, i) => out.writeUInt16BE(g, i * 2));
  return out;
}

/** The bytes of an IP address; IPv4-mapped IPv6 (`::ffff:1.2.3.4`) becomes plain IPv4. */
export function addressBytes(addr: string): Buffer | undefined {
  const a = addr.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  const kind = isIP(a);
  if (kind === 4) return v4Bytes(a);
  if (kind !== 6) return undefined;
  const b = v6Bytes(a);
  const mapped = b.subarray(0, 10).every((x) => x === 0) && b[10] === 0xff && b[11] === 0xff;
  return mapped ? Buffer.from(b.subarray(12)) : b;
}

/** Parses `10.0.0.0/8`, `fd00::/8` or a single address; throws an Error naming what is valid. */
export function parseCidr(text: string): Cidr {
  const t = text.trim();
  const [addr, prefix, extra] = t.split('/');
  const bytes = extra === undefined && addr ? addressBytes(addr) : undefined;
  const plainV4 = isIP(addr ?? '') === 4;
  if (!bytes || (bytes.length === 4 && !plainV4)) {
    throw new Error(`'${text}' is not an address range: use an IPv4 or IPv6 CIDR such as 10.0.0.0/8, 127.0.0.1/32 or fd00::/8.`);
  }
  const max = bytes.length * 8;
  const bits = prefix === undefined ? max : /^\d{1,3}$/.test(prefix) ? Number(prefix) : NaN;
  if (!Number.isInteger(bits) || bits < 0 || bits > max) {
    throw new Error(`'${text}' has an invalid prefix length: an IPv${max === 32 ? 4 : 6} range takes /0 to /${max}.`);
  }
  return { text: t, bytes, bits };
}

/** Parses a list of ranges (flags, or FAZT_TRUSTED_PROXY split on commas). */
export function parseCidrList(items: string[]): Cidr[] {
  return items.flatMap((i) => i.split(',')).filter((i) => i.trim()).map(parseCidr);
}

export function cidrContains(range: Cidr, addr: string | undefined): boolean {
  const b = addr ? addressBytes(addr) : undefined;
  if (!b || b.length !== range.bytes.length) return false;
  const whole = range.bits >> 3;
  if (!b.subarray(0, whole).equals(range.bytes.subarray(0, whole))) return false;
  const rest = range.bits & 7;
  if (!rest) return true;
  const mask = (0xff << (8 - rest)) & 0xff;
  return (b[whole] & mask) === (range.bytes[whole] & mask);
}

export function anyContains(ranges: readonly Cidr[], addr: string | undefined): boolean {
  return ranges.some((r) => cidrContains(r, addr));
}

const LOOPBACK = [parseCidr('127.0.0.0/8'), parseCidr('::1/128')];

/** A connection from this machine (IPv4 127/8, IPv6 ::1, or IPv4-mapped loopback). */
export function isLoopback(addr: string | undefined): boolean {
  return anyContains(LOOPBACK, addr);
}
