import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import type { Kernel } from '../kernel/kernel.js';
import { OpError } from '../kernel/ops/errors.js';

/** The owner's sign-in password, as an scrypt hash sealed in the secrets store. */
export const PASSWORD_SECRET = 'auth.password';
export const MIN_PASSWORD_LENGTH = 10;
export const MAX_PASSWORD_LENGTH = 1024;

// 16 MiB of memory per hash: slow enough for guessing, quick enough for one sign-in.
const N = 16384;
const R = 8;
const P = 1;
const KEYLEN = 32;

function derive(password: string, salt: Buffer, n: number, r: number, p: number): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(password.normalize('NFC'), salt, KEYLEN, { N: n, r, p, maxmem: 128 * n * r * 2 }, (err, key) => (err ? reject(err) : resolve(key))),
  );
}

/** `scrypt$N$r$p$salt$hash` (base64url), so the parameters can change without breaking old hashes. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, N, R, P);
  return ['scrypt', N, R, P, salt.toString('base64url'), key.toString('base64url')].join('$');
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [kind, n, r, p, salt, hash] = stored.split('$');
  if (kind !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64url');
  const key = await derive(password, Buffer.from(salt, 'base64url'), Number(n), Number(r), Number(p));
  return key.length === expected.length && timingSafeEqual(key, expected);
}

export function passwordProblem(password: string): string | undefined {
  if (password.length < MIN_PASSWORD_LENGTH) return `The password must be at least ${MIN_PASSWORD_LENGTH} characters long.`;
  if (password.length > MAX_PASSWORD_LENGTH) return `The password must be at most ${MAX_PASSWORD_LENGTH} characters long.`;
  return undefined;
}

export async function setOwnerPassword(kernel: Kernel, password: string): Promise<void> {
  const problem = passwordProblem(password);
  if (problem) throw new OpError('BAD_INPUT', problem, { fields: [{ path: 'password', message: problem }] });
  kernel.services.secrets.set(PASSWORD_SECRET, await hashPassword(password));
}

export function hasOwnerPassword(kernel: Kernel): boolean {
  return kernel.services.secrets.has(PASSWORD_SECRET);
}

/** False when no password is set: then only the owner key signs in. */
export async function checkOwnerPassword(kernel: Kernel, password: string): Promise<boolean> {
  const stored = kernel.services.secrets.get(PASSWORD_SECRET);
  if (!stored || password.length > MAX_PASSWORD_LENGTH) return false;
  return verifyPassword(password, stored);
}
