import { createHash, randomBytes } from 'node:crypto';

/** sha256 hex: how codes, refresh tokens and client secrets are kept. */
export function hashOf(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/** A fresh credential: a readable prefix and 32 random bytes. */
export function newSecret(prefix: string): string {
  return `${prefix}${randomBytes(32).toString('base64url')}`;
}

/** RFC 7636 S256: BASE64URL(SHA256(ASCII(code_verifier))) equals the challenge. */
export function pkceMatches(verifier: string, challenge: string): boolean {
  return createHash('sha256').update(verifier, 'ascii').digest('base64url') === challenge;
}

/** RFC 7636 §4.1: 43–128 characters of [A-Z a-z 0-9 - . _ ~]. */
export const VERIFIER_RE = /^[A-Za-z0-9\-._~]{43,128}$/;
/** An S256 challenge is exactly 43 base64url characters. */
export const CHALLENGE_RE = /^[A-Za-z0-9_-]{43}$/;
