import * as OTPAuth from 'otpauth';
import type { Kernel } from '../kernel/kernel.js';
import { OpError } from '../kernel/ops/errors.js';
import type { DB } from '../store/db.js';

/** Settings keep only whether TOTP is on; the seed is sealed in the secrets store. */
interface TotpState {
  enabled: boolean;
}

/** Earlier versions kept the seed in plain text beside the state. */
interface LegacyTotpState extends TotpState {
  secret?: string;
}

const KEY = 'auth.totp';
export const TOTP_SEED_SECRET = 'auth.totp.seed';

function totpFor(secret: string, domain: string): OTPAuth.TOTP {
  return new OTPAuth.TOTP({ issuer: 'fazt', label: `owner@${domain}`, algorithm: 'SHA1', digits: 6, period: 30, secret: OTPAuth.Secret.fromBase32(secret) });
}

/**
 * Moves a plain-text seed left by an earlier version into the secrets store.
 * secure_delete zeroes the old bytes in the page and the checkpoint drops the
 * WAL's copy, so the seed is gone from disk, not only from the table.
 */
export function migratePlainTotpSeed(kernel: Kernel): boolean {
  const old = kernel.settings.get<LegacyTotpState | null>(KEY, null);
  if (typeof old?.secret !== 'string') return false;
  const db = kernel.db;
  const secureDelete = db.pragma('secure_delete', { simple: true }) as number;
  db.pragma('secure_delete = ON');
  try {
    db.transaction(() => {
      kernel.services.secrets.set(TOTP_SEED_SECRET, old.secret!);
      kernel.settings.set(KEY, { enabled: old.enabled === true });
    })();
  } finally {
    db.pragma(`secure_delete = ${secureDelete}`);
  }
  db.pragma('wal_checkpoint(TRUNCATE)');
  return true;
}

function state(kernel: Kernel): TotpState | null {
  // A database written by an earlier version while this one runs (a restore) is migrated on first read.
  migratePlainTotpSeed(kernel);
  return kernel.settings.get<TotpState | null>(KEY, null);
}

function seed(kernel: Kernel): string {
  let s: string | undefined;
  try {
    s = kernel.services.secrets.get(TOTP_SEED_SECRET);
  } catch (err) {
    if ((err as OpError).code !== 'SECRET_UNREADABLE') throw err;
    throw new OpError(
      'SECRET_UNREADABLE',
      `The TOTP seed was sealed under a different master key, so no code can be checked. Restore the master key (${kernel.config.dataDir}/master.key or FAZT_MASTER_KEY), ` +
        `or switch TOTP off on the server with 'fazt auth owner-key reset --disable-totp --data ${kernel.config.dataDir}' and enrol again.`,
      { secret: TOTP_SEED_SECRET },
    );
  }
  if (!s) throw new OpError('NOT_FOUND', "No TOTP seed is stored: run 'fazt auth totp enable' to enrol again.");
  return s;
}

export function totpEnabled(kernel: Kernel): boolean {
  return state(kernel)?.enabled ?? false;
}

/** Starts enrolment: a new secret, pending until a valid code confirms it. */
export function beginTotp(kernel: Kernel): { uri: string; secret: string } {
  if (totpEnabled(kernel)) throw new OpError('CONFLICT', 'TOTP is already enabled; disable it first.');
  const secret = new OTPAuth.Secret({ size: 20 }).base32;
  kernel.db.transaction(() => {
    kernel.services.secrets.set(TOTP_SEED_SECRET, secret);
    kernel.settings.set(KEY, { enabled: false });
  })();
  return { uri: totpFor(secret, kernel.config.domain).toString(), secret };
}

export function confirmTotp(kernel: Kernel, code: string): void {
  const s = state(kernel);
  if (!s || !kernel.services.secrets.has(TOTP_SEED_SECRET)) throw new OpError('NOT_FOUND', "No TOTP enrolment in progress: run 'fazt auth totp enable' first.");
  if (!checkCode(seed(kernel), kernel.config.domain, code)) throw new OpError('UNAUTHENTICATED', 'That TOTP code is not valid.');
  kernel.settings.set(KEY, { enabled: true });
}

export function disableTotp(kernel: Kernel, code: string | undefined): void {
  requireTotp(kernel, code);
  kernel.db.transaction(() => {
    kernel.settings.delete(KEY);
    kernel.services.secrets.delete(TOTP_SEED_SECRET);
  })();
}

/** Switches TOTP off on a database directly (recovery by whoever holds the data dir, when the seed is lost or unreadable). */
export function switchOffTotp(db: DB): boolean {
  const a = db.prepare('DELETE FROM settings WHERE key = ?').run(KEY).changes;
  // A database no server of this version has opened yet has no secrets table.
  const sealed = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'secrets'").get();
  const b = sealed ? db.prepare('DELETE FROM secrets WHERE name = ?').run(TOTP_SEED_SECRET).changes : 0;
  return a + b > 0;
}

/** When TOTP is on, sensitive ops need a current code. */
export function requireTotp(kernel: Kernel, code: string | undefined): void {
  if (!state(kernel)?.enabled) return;
  if (!code) throw new OpError('UNAUTHENTICATED', 'TOTP is enabled: pass --code with the current 6-digit code.', { totpRequired: true });
  if (!checkCode(seed(kernel), kernel.config.domain, code)) throw new OpError('UNAUTHENTICATED', 'That TOTP code is not valid.', { totpRequired: true });
}

function checkCode(secret: string, domain: string, code: string): boolean {
  return totpFor(secret, domain).validate({ token: code.trim(), window: 1 }) !== null;
}

/** Current code for a secret (tests and scripted setups). */
export function currentCode(secret: string, domain: string): string {
  return totpFor(secret, domain).generate();
}
