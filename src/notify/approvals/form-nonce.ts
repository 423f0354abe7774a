import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

function mac(key: Buffer, token: string, random: string): string {
  return createHmac('sha256', key).update(`form-nonce\0${token}\0${random}`).digest('base64url');
}

/**
 * A fresh value on every rendered page, bound to its link by HMAC. A POST must
 * carry one, so a cross-site form (which cannot read our page) cannot decide.
 */
export function makeFormNonce(key: Buffer, token: string): string {
  const random = randomBytes(16).toString('base64url');
  return `${random}.${mac(key, token, random)}`;
}

export function checkFormNonce(key: Buffer, token: string, nonce: string | undefined): boolean {
  if (!nonce) return false;
  const dot = nonce.indexOf('.');
  if (dot <= 0) return false;
  const given = Buffer.from(nonce.slice(dot + 1));
  const expected = Buffer.from(mac(key, token, nonce.slice(0, dot)));
  return given.length === expected.length && timingSafeEqual(given, expected);
}
