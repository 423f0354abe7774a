import { z } from 'zod';
import { httpUrl, parseConfig, postForDelivery, urlSecrets } from './http-delivery.js';
import { severityLabel, truncate } from './message-format.js';
import type { Channel, Message, Severity } from './types.js';

const config = z.strictObject({
  /** https://discord.com/api/webhooks/{id}/{token}: the URL is the credential. */
  webhookUrl: httpUrl(),
});

const color: Record<Severity, number> = { info: 0x3b82f6, warning: 0xf59e0b, critical: 0xdc2626 };
// Discord's embed limits: title 256, description 4096, field value 1024.
const MAX_LINKS = 5;

/** Markdown link; brackets in the label and parentheses in the URL would end it early. */
const mdLink = (label: string, url: string) =>
  `[${truncate(label, 100).replace(/[[\]\\]/g, (c) => `\\${c}`)}](${url.replace(/\(/g, '%28').replace(/\)/g, '%29')})`;

function payload(m: Message) {
  const fields = [{ name: 'Severity', value: severityLabel[m.severity], inline: true }];
  // A webhook cannot send link buttons (components need an application), so actions are markdown links.
  const links: string[] = [];
  for (const a of (m.actions ?? []).slice(0, MAX_LINKS)) {
    const line = mdLink(a.label, a.url);
    if ([...links, line].join('\n').length > 1024) break;
    links.push(line);
  }
  if (links.length) fields.push({ name: 'Links', value: links.join('\n'), inline: false });
  return {
    // Text from fazt never pings @everyone, roles or users.
    allowed_mentions: { parse: [] },
    embeds: [{
      title: truncate(m.title, 256),
      ...(m.body ? { description: truncate(m.body, 4096) } : {}),
      ...(m.link ? { url: m.link } : {}),
      color: color[m.severity],
      timestamp: m.at,
      fields,
    }],
  };
}

export const discordChannel: Channel = {
  type: 'discord',
  title: 'Discord (webhook)',
  config,
  secretFields: ['webhookUrl'],
  async deliver(message, raw, signal) {
    const parsed = parseConfig(config, raw);
    if (!parsed.ok) return parsed.result;
    const url = new URL(parsed.data.webhookUrl);
    // wait=true makes Discord validate the message before answering, so errors come back to us.
    url.searchParams.set('wait', 'true');
    return postForDelivery({
      url: url.toString(),
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(payload(message)),
      secrets: urlSecrets(parsed.data.webhookUrl),
      signal,
    });
  },
};
