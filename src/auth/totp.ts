import * as OTPAuth from 'otpauth';
import type { Kernel } from '../kernel/kernel.js';
import { OpError } from '../kernel/ops/errors.js';

interface TotpState {
  secret: string;
  enabled: boolean;
}

const KEY = 'auth.totp';

function totpFor(secret: string, domain: string): OTPAuth.TOTP {
  return new OTPAuth.TOTP({ issuer: 'fazt', label: `owner@${domain}`, algorithm: 'SHA1', digits: 6, period: 30, secret: OTPAuth.Secret.fromBase32(secret) });
}

export function totpEnabled(kernel: Kernel): boolean {
  return kernel.settings.get<TotpState | null>(KEY, null)?.enabled ?? false;
}

/** Starts enrolment: a new secret, pending until a valid code confirms it. */
export function beginTotp(kernel: Kernel): { uri: string; secret: string } {
  if (totpEnabled(kernel)) throw new OpError('CONFLICT', 'TOTP is already enabled; disable it first.');
  const secret = new OTPAuth.Secret({ size: 20 }).base32;
  kernel.settings.set(KEY, { secret, enabled: false });
  return { uri: totpFor(secret, kernel.config.domain).toString(), secret };
}

export function confirmTotp(kernel: Kernel, code: string): void {
  const state = kernel.settings.get<TotpState | null>(KEY, null);
  if (!state) throw new OpError('NOT_FOUND', "No TOTP enrolment in progress: run 'fazt auth totp enable' first.");
  if (!checkCode(state.secret, kernel.config.domain, code)) throw new OpError('UNAUTHENTICATED', 'That TOTP code is not valid.');
  kernel.settings.set(KEY, { ...state, enabled: true });
}

export function disableTotp(kernel: Kernel, code: string | undefined): void {
  requireTotp(kernel, code);
  kernel.settings.delete(KEY);
}

/** When TOTP is on, sensitive ops need a current code. */
export function requireTotp(kernel: Kernel, code: string | undefined): void {
  const state = kernel.settings.get<TotpState | null>(KEY, null);
  if (!state?.enabled) return;
  if (!code) throw new OpError('UNAUTHENTICATED', 'TOTP is enabled: pass --code with the current 6-digit code.', { totpRequired: true });
  if (!checkCode(state.secret, kernel.config.domain, code)) throw new OpError('UNAUTHENTICATED', 'That TOTP code is not valid.', { totpRequired: true });
}

function checkCode(secret: string, domain: string, code: string): boolean {
  return totpFor(secret, domain).validate({ token: code.trim(), window: 1 }) !== null;
}

/** Current code for a secret (tests and scripted setups). */
export function currentCode(secret: string, domain: string): string {
  return totpFor(secret, domain).generate();
}
