import { randomBytes } from 'node:crypto';
import type { OpError } from '../../kernel/ops/errors.js';
import type { SecretStore } from '../../secrets/secret-store.js';

export const APPROVAL_KEY_SECRET = 'approvals.key';

/**
 * The link-signing key: 32 random bytes made on first use and sealed in the
 * secrets store. A key the master key can no longer open is replaced; links
 * signed with it stop working, which is the safe side.
 */
export function approvalKey(secrets: SecretStore): Buffer {
  let stored: string | undefined;
  try {
    stored = secrets.get(APPROVAL_KEY_SECRET);
  } catch (err) {
    if ((err as OpError).code !== 'SECRET_UNREADABLE') throw err;
  }
  const key = stored ? Buffer.from(stored, 'base64') : undefined;
  if (key?.length === 32) return key;
  const fresh = randomBytes(32);
  secrets.set(APPROVAL_KEY_SECRET, fresh.toString('base64'));
  return fresh;
}
