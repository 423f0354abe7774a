import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { chmodSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Proof that a call comes from a person at this machine: a secret only the
 * server's user can read (`<dataDir>/presence.key`, 0600), rotated at every
 * server start, never shown, never in client.json or data.db. The local CLI
 * reads it and sends it over loopback; a header alone proves nothing.
 */
export const PRESENCE_FILE = 'presence.key';
export const PRESENCE_HEADER = 'x-fazt-presence';

export interface Presence {
  /** Constant-time check of a presented secret. */
  matches(presented: string | undefined): boolean;
}

declare module '../kernel/services.js' {
  interface Services {
    /** Set by the server at start; absent when no server owns the data dir (stdio MCP). */
    presence?: Presence;
  }
}

const digest = (s: string) => createHash('sha256').update(s).digest();

/** Writes a fresh secret (atomically, 0600) and keeps only its hash in memory. */
export function createPresence(dataDir: string): Presence {
  const secret = randomBytes(32).toString('base64url');
  const path = join(dataDir, PRESENCE_FILE);
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, secret + '\n', { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, path);
  const expected = digest(secret);
  return {
    matches: (presented) => typeof presented === 'string' && presented.length > 0 && timingSafeEqual(expected, digest(presented.trim())),
  };
}

/** The secret for the CLI on this machine, when it can read it. */
export function readPresenceSecret(dataDir: string): string | undefined {
  try {
    return readFileSync(join(dataDir, PRESENCE_FILE), 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}
