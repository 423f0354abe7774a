import { z } from 'zod';
import { httpUrl, parseConfig, postForDelivery } from './http-delivery.js';
import { linkButtons, severityLabel, truncate } from './message-format.js';
import type { Channel, Message } from './types.js';

const config = z.strictObject({
  /** From @BotFather: <bot id>:<secret>. It goes in the URL path, so its shape is checked. */
  botToken: z.string().regex(/^\d+:[A-Za-z0-9_-]+$/, 'must look like 123456:ABC-def (from @BotFather)'),
  /** A numeric chat id (negative for groups and channels) or @channelusername. */
  chatId: z.union([z.number().int(), z.string().regex(/^(-?\d+|@[A-Za-z0-9_]{4,32})$/, 'must be a numeric chat id or @channelusername')]),
  apiBase: httpUrl().default('https://api.telegram.org'),
});

const MAX_TEXT = 4096; // characters after entity parsing
const MAX_BUTTONS = 5;

/** Telegram's HTML mode needs only these three escaped outside tags. */
const html = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * Telegram refuses a button whose URL is local (BUTTON_URL_INVALID), which would lose
 * the whole message; fazt's own links are often http://127.0.0.1 or *.localhost.
 */
function isLocal(url: string): boolean {
  if (!URL.canParse(url)) return true; // shown as text rather than refused as a button
  const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
  return host === 'localhost' || host.endsWith('.localhost') || /^127\./.test(host) || host === '::1' || !host.includes('.');
}

function payload(m: Message, chatId: string | number) {
  const heading = truncate(`[${severityLabel[m.severity]}] ${m.title}`, 256);
  const links = linkButtons(m, MAX_BUTTONS);
  const remote = links.filter((b) => !isLocal(b.url));
  const local = links.filter((b) => isLocal(b.url)).map((b) => `${b.label}: ${b.url}`).join('\n');
  const tail = local ? truncate(`\n\n${local}`, 1000) : '';
  // Cut before escaping, so the limit counts what the reader sees and no entity is cut in half.
  const body = m.body ? truncate(m.body, MAX_TEXT - heading.length - 2 - tail.length) : '';
  const buttons = remote.map((b) => [{ text: truncate(b.label, 64), url: b.url }]);
  return {
    chat_id: chatId,
    text: `<b>${html(heading)}</b>${body ? `\n\n${html(body)}` : ''}${html(tail)}`,
    parse_mode: 'HTML',
    // Bot API 7.0 replaced disable_web_page_preview with link_preview_options.
    link_preview_options: { is_disabled: true },
    // URL buttons open the link in the client; no callback handling is needed.
    ...(buttons.length ? { reply_markup: { inline_keyboard: buttons } } : {}),
  };
}

/** Telegram gives its wait in the answer: {"parameters": {"retry_after": N}}. */
function retryAfterFromBody(text: string): number | undefined {
  try {
    const n = (JSON.parse(text) as { parameters?: { retry_after?: unknown } }).parameters?.retry_after;
    return typeof n === 'number' && n >= 0 ? Math.ceil(n) : undefined;
  } catch {
    return undefined;
  }
}

export const telegramChannel: Channel = {
  type: 'telegram',
  title: 'Telegram (bot)',
  config,
  secretFields: ['botToken'],
  async deliver(message, raw, signal) {
    const parsed = parseConfig(config, raw);
    if (!parsed.ok) return parsed.result;
    const { botToken, chatId, apiBase } = parsed.data;
    return postForDelivery({
      url: `${apiBase.replace(/\/+$/, '')}/bot${botToken}/sendMessage`,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(payload(message, chatId)),
      // The token is in the URL, which error messages may quote.
      secrets: [botToken, botToken.slice(botToken.indexOf(':') + 1)],
      signal,
      retryAfterFromBody,
    });
  },
};
