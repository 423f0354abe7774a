import { z } from 'zod';
import type { ChannelConfig, DeliveryResult } from './types.js';
import { scrub } from '../scrub.js';

/** A channel that answers slower than this is treated as down, and retried later. */
export const DELIVERY_TIMEOUT_MS = 10_000;
const DETAIL_MAX = 500;
// An error page can be huge; nothing past the first few KB ends up in a detail.
const READ_MAX = 16 * 1024;

/** An http(s) URL; other schemes (file:, javascript:) are refused. */
export const httpUrl = () => z.url({ protocol: /^https?$/, message: 'must be an http or https URL' });

export interface HttpPost {
  url: string;
  headers: Record<string, string>;
  body: string;
  /** Values that must never appear in a detail: tokens, webhook URLs and their parts. */
  secrets: readonly string[];
  signal?: AbortSignal;
  /** For services that give their wait in the answer (Telegram) rather than in Retry-After. */
  retryAfterFromBody?: (text: string) => number | undefined;
}

/**
 * POSTs one notification and maps the answer to a DeliveryResult: it never throws,
 * whatever the service or the network does.
 */
export async function postForDelivery(req: HttpPost): Promise<DeliveryResult> {
  const timeout = AbortSignal.timeout(DELIVERY_TIMEOUT_MS);
  const signal = req.signal ? AbortSignal.any([req.signal, timeout]) : timeout;
  const clean = (text: string) => cut(scrub(text, req.secrets));
  let res: Response;
  try {
    // Redirects are not followed: fetch would turn the POST into a GET, losing the message.
    res = await fetch(req.url, { method: 'POST', headers: req.headers, body: req.body, signal, redirect: 'manual' });
  } catch (err) {
    return { ok: false, permanent: false, detail: clean(failureReason(err, req.signal, timeout)) };
  }
  const text = await readCapped(res).catch(() => '');
  const detail = clean(text);
  const status = res.status;
  if (status >= 200 && status < 300) return { ok: true, detail };
  if (status === 429) {
    const wait = parseRetryAfter(res.headers.get('retry-after')) ?? req.retryAfterFromBody?.(text);
    return wait === undefined ? { ok: false, permanent: false, detail } : { ok: false, permanent: false, retryAfterSeconds: wait, detail };
  }
  if (status >= 500) return { ok: false, permanent: false, detail };
  if (status >= 300 && status < 400) {
    return { ok: false, permanent: true, detail: clean(`HTTP ${status} redirect to ${res.headers.get('location') ?? '?'}: fix the configured URL`) };
  }
  return { ok: false, permanent: true, detail };
}

/** Validates an opened config; a bad one is a permanent failure that names the fields. */
export function parseConfig<T>(schema: z.ZodType<T>, config: ChannelConfig): { ok: true; data: T } | { ok: false; result: DeliveryResult } {
  const r = schema.safeParse(config);
  if (r.success) return { ok: true, data: r.data };
  const detail = r.error.issues.map((i) => `${i.path.join('.') || 'config'}: ${i.message}`).join('; ');
  return { ok: false, result: { ok: false, permanent: true, detail: cut(`invalid config: ${detail}`) } };
}

/** A webhook URL is a credential as a whole, and so is each long path segment (the token). */
export function urlSecrets(url: string): string[] {
  const out = [url];
  try {
    out.push(...new URL(url).pathname.split('/').filter((s) => s.length >= 16));
  } catch {
    // Not a URL: the whole string is still scrubbed.
  }
  return out;
}

/** Seconds from a Retry-After header: delta-seconds or an HTTP date. */
export function parseRetryAfter(value: string | null): number | undefined {
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value.trim())) return Math.ceil(Number(value));
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - Date.now()) / 1000));
}

function cut(text: string): string {
  if (text.length <= DETAIL_MAX) return text;
  const end = /[\uD800-\uDBFF]/.test(text[DETAIL_MAX - 1]) ? DETAIL_MAX - 1 : DETAIL_MAX;
  return text.slice(0, end);
}

function failureReason(err: unknown, caller: AbortSignal | undefined, timeout: AbortSignal): string {
  if (caller?.aborted) return 'delivery aborted';
  if (timeout.aborted) return `no answer within ${DELIVERY_TIMEOUT_MS / 1000} s`;
  const e = err as { message?: string; cause?: { message?: string } };
  return e.cause?.message ? `${e.message}: ${e.cause.message}` : String(e.message ?? err);
}

async function readCapped(res: Response): Promise<string> {
  if (!res.body) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    size += value.length;
    if (size >= READ_MAX) {
      await reader.cancel().catch(() => undefined);
      break;
    }
  }
  return Buffer.concat(chunks).toString('utf8');
}
