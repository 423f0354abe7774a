import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** What a link stands for: one halt (h), one of its options (o), until an expiry (e, epoch ms). */
export interface LinkPayload {
  h: string;
  o: string;
  e: number;
}

export type LinkRead = { ok: true; payload: LinkPayload } | { ok: false; reason: 'malformed' | 'signature' };

const B64URL = /^[A-Za-z0-9_-]+$/;

function mac(key: Buffer, data: string): Buffer {
  return createHmac('sha256', key).update(data).digest();
}

/** base64url(payload) + '.' + base64url(HMAC-SHA256(key, payload)): anyone can read it, only the server can make one. */
export function signLinkToken(key: Buffer, payload: LinkPayload): string {
  const body = Buffer.from(JSON.stringify({ h: payload.h, o: payload.o, e: payload.e })).toString('base64url');
  return `${body}.${mac(key, body).toString('base64url')}`;
}

/** The signature is checked (in constant time) before a byte of the payload is trusted. */
export function readLinkToken(key: Buffer, token: string): LinkRead {
  const parts = token.split('.');
  if (parts.length !== 2 || !B64URL.test(parts[0]) || !B64URL.test(parts[1])) return { ok: false, reason: 'malformed' };
  const [body, sig] = parts;
  const given = Buffer.from(sig, 'base64url');
  const expected = mac(key, body);
  // Re-encoding catches a changed trailing character that decodes to the same bytes.
  if (given.length !== expected.length || given.toString('base64url') !== sig || !timingSafeEqual(given, expected)) return { ok: false, reason: 'signature' };
  let p: unknown;
  try {
    p = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  const { h, o, e } = (p ?? {}) as Record<string, unknown>;
  if (typeof h !== 'string' || typeof o !== 'string' || typeof e !== 'number' || !Number.isFinite(e)) return { ok: false, reason: 'malformed' };
  return { ok: true, payload: { h, o, e } };
}

/** What the used-links table keeps: a hash, so the table holds no working link. */
export function linkTokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
