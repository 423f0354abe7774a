import { OpError } from '../kernel/ops/errors.js';

/** The provider is not set up (no token, or the built-in part is not running). */
export function notConfigured(provider: string, hint: string): OpError {
  return new OpError('INFRA_NOT_CONFIGURED', `${provider} is not configured: ${hint}`, { provider });
}

/** The provider answered with an error we have no better name for: its status and its own message. */
export function providerError(provider: string, status: number, message: string, code?: string): OpError {
  return new OpError('INFRA_PROVIDER_ERROR', `${provider} answered ${status}${code ? ` (${code})` : ''}: ${message}`, { provider, status, providerMessage: message, ...(code ? { providerCode: code } : {}) });
}

export function rateLimited(provider: string, retryAfter: number): OpError {
  return new OpError('INFRA_RATE_LIMITED', `${provider} is rate limiting this account; try again in ${retryAfter} s.`, { provider, retryAfter });
}

export function quotaExceeded(provider: string, message: string): OpError {
  return new OpError('INFRA_QUOTA_EXCEEDED', `${provider}: the account's limit is reached: ${message}`, { provider, providerMessage: message });
}

export function insufficientFunds(provider: string, message: string): OpError {
  return new OpError('INFRA_INSUFFICIENT_FUNDS', `${provider}: the account cannot pay for this: ${message}`, { provider, providerMessage: message });
}

export function canceled(what: string): OpError {
  return new OpError('INFRA_CANCELED', `Canceled: ${what}`);
}
