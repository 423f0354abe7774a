import { z } from 'zod';
import { httpUrl, parseConfig, postForDelivery } from './http-delivery.js';
import type { Channel, Message, Severity } from './types.js';

const config = z.strictObject({
  /** Any ntfy server, self-hosted ones included; may carry a path prefix. */
  server: httpUrl().default('https://ntfy.sh'),
  /** ntfy's own topic rule: 1–64 of letters, digits, - and _. */
  topic: z.string().regex(/^[-_A-Za-z0-9]{1,64}$/, 'must be 1-64 letters, digits, - or _'),
  /** Access token (tk_…), sent as a Bearer token. */
  token: z.string().min(1).optional(),
});

// ntfy priorities: 5 urgent, 4 high, 3 default.
const priority: Record<Severity, number> = { info: 3, warning: 4, critical: 5 };
// The first tag that is an emoji short code is shown as the emoji.
const emoji: Record<Severity, string> = { info: 'information_source', warning: 'warning', critical: 'rotating_light' };
const MAX_ACTIONS = 3; // ntfy's limit
// ntfy turns a message over 4096 bytes into an attachment (or refuses it without attachments).
const MAX_MESSAGE_BYTES = 4096;

function fitBytes(text: string, max: number): string {
  if (Buffer.byteLength(text) <= max) return text;
  let out = Buffer.from(text).subarray(0, max - 3).toString('utf8');
  out = out.replace(/\uFFFD$/, ''); // a character cut in half
  return `${out}…`;
}

/**
 * The JSON publish form (POST to the server root) rather than headers: titles and
 * labels are UTF-8 and may hold commas or semicolons, which headers cannot carry as is.
 */
function payload(m: Message, topic: string) {
  const actions = (m.actions ?? []).slice(0, MAX_ACTIONS).map((a) => ({ action: 'view', label: a.label, url: a.url }));
  return {
    topic,
    title: m.title,
    message: fitBytes(m.body || m.title, MAX_MESSAGE_BYTES),
    priority: priority[m.severity],
    tags: [...new Set([emoji[m.severity], m.severity])],
    ...(m.link ? { click: m.link } : {}),
    ...(actions.length ? { actions } : {}),
  };
}

export const ntfyChannel: Channel = {
  type: 'ntfy',
  title: 'ntfy',
  config,
  secretFields: ['token'],
  async deliver(message, raw, signal) {
    const parsed = parseConfig(config, raw);
    if (!parsed.ok) return parsed.result;
    const { server, topic, token } = parsed.data;
    return postForDelivery({
      url: `${server.replace(/\/+$/, '')}/`,
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(payload(message, topic)),
      secrets: token ? [token] : [],
      signal,
    });
  },
};
