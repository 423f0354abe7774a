import { createHmac } from 'node:crypto';
import { z } from 'zod';
import { httpUrl } from './config-fields.js';
import type { Channel, DeliveryResult, Message } from './types.js';

/** Standard Webhooks secrets: `whsec_` + base64 of 24..64 random bytes. */
const SECRET = z
  .string()
  .regex(/^whsec_[A-Za-z0-9+/]+={0,2}$/, { error: 'must be whsec_ followed by a base64 key (e.g. whsec_$(openssl rand -base64 32))' })
  .refine((s) => {
    const n = Buffer.from(s.slice(6), 'base64').length;
    return n >= 24 && n <= 64;
  }, { error: 'the key after whsec_ must be 24 to 64 bytes of base64' });

const config = z.strictObject({ url: httpUrl, secret: SECRET });

const TIMEOUT_MS = 10_000;
const MAX_DETAIL = 500;

/** `v1,<base64 HMAC-SHA256 of "id.timestamp.body">`, per the Standard Webhooks spec. */
export function signWebhook(secret: string, id: string, timestamp: number, body: string): string {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  return 'v1,' + createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64');
}

/** 429 and 5xx are worth retrying; any other refusal will not change by itself. */
export function httpResult(status: number, text: string, retryAfter: string | null): DeliveryResult {
  const detail = `HTTP ${status}${text ? ': ' + text.slice(0, MAX_DETAIL) : ''}`;
  if (status >= 200 && status < 300) return { ok: true, detail };
  const transient = status === 429 || status >= 500 || status === 408;
  const secs = retryAfter && /^\d+$/.test(retryAfter) ? Number(retryAfter) : undefined;
  return { ok: false, permanent: !transient, detail, ...(secs !== undefined ? { retryAfterSeconds: secs } : {}) };
}

/** A network failure (refused, reset, timed out) is always worth retrying. */
export function networkResult(err: unknown): DeliveryResult {
  const e = err as Error & { cause?: { code?: string; message?: string } };
  return { ok: false, permanent: false, detail: e.cause?.code ?? e.cause?.message ?? e.message };
}

/** A JSON POST to any URL, signed so the receiver can tell it came from this server. */
export const webhookChannel: Channel = {
  type: 'webhook',
  title: 'Webhook (Standard Webhooks signature)',
  config,
  secretFields: ['secret'],
  async deliver(message: Message, cfg, signal) {
    const c = cfg as z.infer<typeof config>;
    const body = JSON.stringify({ type: 'fazt.notification', ...message });
    const ts = Math.floor(Date.now() / 1000);
    const timeout = AbortSignal.timeout(TIMEOUT_MS);
    try {
      const res = await fetch(c.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'fazt-notify',
          'webhook-id': message.id,
          'webhook-timestamp': String(ts),
          'webhook-signature': signWebhook(c.secret, message.id, ts, body),
        },
        body,
        redirect: 'manual',
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      });
      return httpResult(res.status, (await res.text()).trim(), res.headers.get('retry-after'));
    } catch (err) {
      return networkResult(err);
    }
  },
};
