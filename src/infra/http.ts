import type { OpError } from '../kernel/ops/errors.js';
import { canceled, insufficientFunds, providerError, rateLimited } from './errors.js';
import { retryAfterSeconds, type RateLimits } from './rate-limits.js';

export interface ProviderResponse<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

export interface HttpSetup {
  provider: string;
  baseUrl: string;
  headers: Record<string, string>;
  rateLimits: RateLimits;
  /** Names the provider's own error bodies (quota, funds, ...); undefined falls back to INFRA_PROVIDER_ERROR. */
  classify?: (status: number, body: any) => OpError | undefined;
  /** The message inside the provider's error body. */
  messageOf?: (body: any) => string | undefined;
  /** 429s waited out before giving up with INFRA_RATE_LIMITED. */
  maxRetries?: number;
  /** A longer Retry-After than this is not waited for: the caller is told instead. */
  maxWaitSeconds?: number;
  signal?: AbortSignal;
  fetch?: typeof fetch;
  /** Values that must never appear in an error (the token, a secret key), even if the provider echoes them. */
  secrets?: string[];
}

function scrub(text: string, secrets: string[] = []): string {
  return secrets.filter((x) => x.length >= 6).reduce((t, x) => t.split(x).join('[redacted]'), text);
}

const TIMEOUT_MS = 30_000;

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(canceled('the provider call was stopped'));
    const t = setTimeout(() => (signal?.removeEventListener('abort', onAbort), resolve()), ms);
    const onAbort = () => (clearTimeout(t), reject(canceled('the provider call was stopped')));
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * A JSON client for one provider: base URL, auth headers, rate-limit headers
 * recorded, 429 answered by waiting (Retry-After, then doubling), and error
 * bodies turned into typed errors. The token never appears in an error.
 */
export class ProviderHttp {
  constructor(readonly setup: HttpSetup) {}

  url(path: string, query?: Record<string, string | number | undefined>): string {
    const u = new URL(this.setup.baseUrl.replace(/\/+$/, '') + path);
    for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined) u.searchParams.set(k, String(v));
    return u.href;
  }

  async request<T = any>(method: string, path: string, body?: unknown, query?: Record<string, string | number | undefined>): Promise<ProviderResponse<T>> {
    const s = this.setup;
    const max = s.maxRetries ?? 3;
    const doFetch = s.fetch ?? fetch;
    for (let attempt = 0; ; attempt++) {
      if (s.signal?.aborted) throw canceled('the provider call was stopped');
      let res: Response;
      try {
        res = await doFetch(path.startsWith('http') ? path : this.url(path, query), {
          method,
          headers: { accept: 'application/json', ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...s.headers },
          body: body === undefined ? undefined : JSON.stringify(body),
          signal: s.signal ? AbortSignal.any([s.signal, AbortSignal.timeout(TIMEOUT_MS)]) : AbortSignal.timeout(TIMEOUT_MS),
        });
      } catch (err) {
        if (s.signal?.aborted) throw canceled('the provider call was stopped');
        const cause = (err as { cause?: { code?: string } }).cause?.code ?? (err as Error).message;
        throw providerError(s.provider, 0, `could not reach ${new URL(s.baseUrl).host}: ${cause}`);
      }
      s.rateLimits.observe(s.provider, res.status, res.headers);
      const text = await res.text();
      let parsed: any = text;
      try {
        parsed = text ? JSON.parse(text) : null;
      } catch {
        /* a text body stays text */
      }
      if (res.status === 429) {
        const wait = retryAfterSeconds(res.headers);
        if (attempt >= max || wait > (s.maxWaitSeconds ?? 30)) throw rateLimited(s.provider, wait);
        // Honour the provider's wait, and back off further on each repeat.
        await sleep(Math.max(wait * 1000, 250 * 2 ** attempt), s.signal);
        continue;
      }
      if (res.status >= 400) {
        const named = s.classify?.(res.status, typeof parsed === 'string' ? scrub(parsed, s.secrets) : JSON.parse(scrub(JSON.stringify(parsed ?? null), s.secrets)));
        if (named) throw named;
        const raw = s.messageOf?.(parsed) ?? (typeof parsed === 'string' ? parsed.slice(0, 300) : JSON.stringify(parsed)?.slice(0, 300)) ?? res.statusText;
        const message = scrub(String(raw), s.secrets);
        if (res.status === 402) throw insufficientFunds(s.provider, message);
        throw providerError(s.provider, res.status, message);
      }
      return { status: res.status, body: parsed as T, headers: res.headers };
    }
  }
}
