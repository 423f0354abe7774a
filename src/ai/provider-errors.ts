import { OpError } from '../kernel/ops/errors.js';
import { redactOutbound } from './redact-outbound.js';

/** Seconds to wait, from `retry-after` (seconds or an HTTP date) or `retry-after-ms`. */
function retryAfter(headers: Record<string, string> | undefined): number | undefined {
  if (!headers) return undefined;
  const ms = headers['retry-after-ms'];
  if (ms && Number.isFinite(Number(ms))) return Math.ceil(Number(ms) / 1000);
  const v = headers['retry-after'];
  if (!v) return undefined;
  if (Number.isFinite(Number(v))) return Number(v);
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - Date.now()) / 1000));
}

interface ApiCallFailure {
  message: string;
  statusCode?: number;
  responseHeaders?: Record<string, string>;
  isRetryable: boolean;
}

// Recognised by the SDK's error names, so this file does not load the SDK.
const isApiCallError = (e: unknown): e is ApiCallFailure => (e as Error | undefined)?.name === 'AI_APICallError';
const lastErrorOf = (e: unknown): unknown => ((e as Error | undefined)?.name === 'AI_RetryError' ? (e as { lastError?: unknown }).lastError : e);

/**
 * Any failure of a provider call, as one typed error: the provider's status
 * and message (with secrets scrubbed) and a hint of when to try again.
 */
export function providerError(provider: string, err: unknown, secrets: readonly string[]): OpError {
  if (err instanceof OpError) return err;
  const cause = lastErrorOf(err);
  if (isApiCallError(cause)) {
    const status = cause.statusCode;
    if (status === undefined) {
      return new OpError('AI_PROVIDER_ERROR', redactOutbound(`${provider} could not be reached: ${cause.message}`, { secrets }), { provider, status: null, retryable: true });
    }
    const wait = retryAfter(cause.responseHeaders);
    const hint =
      status === 401 || status === 403 ? `check the key with 'fazt ai providers set --provider ${provider} --api-key …'`
      : status === 429 ? `rate limited${wait !== undefined ? `; retry in ${wait} s` : '; retry later'}`
      : status >= 500 ? 'the provider is failing or overloaded; retry later'
      : 'see the message';
    const message = redactOutbound(`${provider} answered ${status}: ${cause.message}`, { secrets });
    return new OpError('AI_PROVIDER_ERROR', `${message} (${hint})`, { provider, status, retryable: cause.isRetryable, ...(wait !== undefined ? { retryAfter: wait } : {}) });
  }
  const e = cause as Error;
  if (e?.name === 'AbortError' || e?.name === 'TimeoutError') {
    return new OpError('AI_PROVIDER_ERROR', `${provider} did not answer in time.`, { provider, status: null, retryable: true });
  }
  return new OpError('AI_PROVIDER_ERROR', redactOutbound(`${provider} could not be reached: ${e?.message ?? String(cause)}`, { secrets }), { provider, status: null, retryable: true });
}
