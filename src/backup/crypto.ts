import { createCipheriv, createDecipheriv, randomBytes, scrypt } from 'node:crypto';
import type { Transform } from 'node:stream';

/** Header of an encrypted payload: magic, scrypt salt, GCM nonce. The 16-byte tag ends the payload. */
export const ENC_MAGIC = Buffer.from('FZENC001');
export const SALT_BYTES = 16;
export const IV_BYTES = 12;
export const TAG_BYTES = 16;
export const ENC_HEADER_BYTES = ENC_MAGIC.length + SALT_BYTES + IV_BYTES;

// N=2^15 costs ~100 ms and 32 MiB: slow for a guesser, quick for one backup.
const SCRYPT = { N: 1 << 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };

export function deriveKey(passphrase: string, salt: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => scrypt(passphrase, salt, 32, SCRYPT, (err, key) => (err ? reject(err) : resolve(key))));
}

export async function encryptor(passphrase: string): Promise<{ header: Buffer; cipher: Transform & { getAuthTag(): Buffer } }> {
  const salt = randomBytes(SALT_BYTES);
  const iv = randomBytes(IV_BYTES);
  const key = await deriveKey(passphrase, salt);
  return { header: Buffer.concat([ENC_MAGIC, salt, iv]), cipher: createCipheriv('aes-256-gcm', key, iv) };
}

export async function decryptor(passphrase: string, header: Buffer, tag: Buffer): Promise<Transform> {
  if (!header.subarray(0, ENC_MAGIC.length).equals(ENC_MAGIC)) throw new Error('not an encrypted fazt backup payload');
  const salt = header.subarray(ENC_MAGIC.length, ENC_MAGIC.length + SALT_BYTES);
  const iv = header.subarray(ENC_MAGIC.length + SALT_BYTES, ENC_HEADER_BYTES);
  const d = createDecipheriv('aes-256-gcm', await deriveKey(passphrase, salt), iv);
  d.setAuthTag(tag);
  return d;
}
