import type Cloudflare from 'cloudflare';
import type { APIError } from 'cloudflare';
import type { OpError } from '../kernel/ops/errors.js';
import { canceled, insufficientFunds, providerError, quotaExceeded, rateLimited } from './errors.js';
import type { ProviderContext } from './hetzner-api.js';
import { sleep } from './http.js';
import { retryAfterSeconds } from './rate-limits.js';

const MAX_RETRIES = 3;
const MAX_WAIT_SECONDS = 30;
// Cloudflare's documented codes for a full record quota and a missing payment method.
const QUOTA_CODES = new Set([81045, 81046]);

// The SDK is large (tens of MB once loaded): it is imported on the first Cloudflare call, never at start.
let sdk: typeof import('cloudflare') | undefined;
async function loadSdk(): Promise<typeof import('cloudflare')> {
  sdk ??= await import('cloudflare');
  return sdk;
}

/**
 * The official SDK pointed at the configured base URL; rate-limit headers recorded on every answer.
 * Built on first use inside cf(), which has loaded the SDK by then.
 */
export function cloudflareClient(ctx: ProviderContext): Cloudflare {
  let built: Cloudflare | undefined;
  return new Proxy({} as Cloudflare, {
    get(_target, prop) {
      if (!sdk) throw new Error('the Cloudflare client is used only inside cf()');
      built ??= build(sdk.default, ctx);
      return (built as unknown as Record<PropertyKey, unknown>)[prop];
    },
  });
}

function build(Sdk: typeof Cloudflare, ctx: ProviderContext): Cloudflare {
  return new Sdk({
    apiToken: ctx.token,
    baseURL: ctx.baseUrl,
    maxRetries: 0,
    timeout: 30_000,
    fetch: async (url: string | URL | Request, init?: RequestInit) => {
      const res = await fetch(url, { ...init, signal: ctx.signal && init?.signal ? AbortSignal.any([ctx.signal, init.signal]) : (init?.signal ?? ctx.signal) });
      ctx.rateLimits.observe('cloudflare', res.status, res.headers);
      return res;
    },
  });
}

function named(err: APIError, token: string): OpError {
  const first = (err.errors ?? [])[0] as { code?: number; message?: string } | undefined;
  const msg = (first?.message ?? err.message).split(token).join('[redacted]');
  if (first?.code && QUOTA_CODES.has(first.code)) return quotaExceeded('cloudflare', msg);
  if (err.status === 402 || /payment method|billing|insufficient funds/i.test(msg)) return insufficientFunds('cloudflare', msg);
  return providerError('cloudflare', err.status ?? 0, msg, first?.code !== undefined ? String(first.code) : undefined);
}

/** Runs one SDK call: 429s waited out (Retry-After, then doubling), errors typed, the token never in them. */
export async function cf<T>(ctx: ProviderContext, call: () => Promise<T>): Promise<T> {
  const { APIError } = await loadSdk();
  for (let attempt = 0; ; attempt++) {
    if (ctx.signal?.aborted) throw canceled('the provider call was stopped');
    try {
      return await call();
    } catch (err) {
      if (ctx.signal?.aborted) throw canceled('the provider call was stopped');
      if (err instanceof APIError && err.status === 429) {
        const wait = retryAfterSeconds(err.headers ?? new Headers());
        if (attempt >= MAX_RETRIES || wait > MAX_WAIT_SECONDS) throw rateLimited('cloudflare', wait);
        await sleep(Math.max(wait * 1000, 250 * 2 ** attempt), ctx.signal);
        continue;
      }
      if (err instanceof APIError && err.status !== undefined) throw named(err, ctx.token);
      throw providerError('cloudflare', 0, (err as Error).message.split(ctx.token).join('[redacted]'));
    }
  }
}
