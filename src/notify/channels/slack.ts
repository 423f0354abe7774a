import { z } from 'zod';
import { httpUrl, parseConfig, postForDelivery, urlSecrets } from './http-delivery.js';
import { linkButtons, severityLabel, truncate } from './message-format.js';
import type { Channel, Message, Severity } from './types.js';

const config = z.strictObject({
  /** https://hooks.slack.com/services/T…/B…/…: the URL is the credential. */
  webhookUrl: httpUrl(),
});

const icon: Record<Severity, string> = { info: ':information_source:', warning: ':warning:', critical: ':rotating_light:' };
// Slack's Block Kit limits: header text 150, section text 3000, button text 75, button URL 3000.
const MAX_BUTTONS = 5;

/** Slack treats &, < and > as control characters in mrkdwn; everything else is literal. */
const mrkdwn = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Escaped text within `max` characters, never ending in half an entity. */
function mrkdwnWithin(text: string, max: number): string {
  const escaped = mrkdwn(text);
  return escaped.length <= max ? escaped : `${escaped.slice(0, max - 1).replace(/&[a-z]*$/, '')}…`;
}

function payload(m: Message) {
  const label = severityLabel[m.severity];
  const buttons = linkButtons(m, MAX_BUTTONS).filter((b) => b.url.length <= 3000);
  const blocks: unknown[] = [{ type: 'header', text: { type: 'plain_text', text: truncate(m.title, 150), emoji: true } }];
  if (m.body) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: mrkdwnWithin(m.body, 3000) } });
  blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: `${icon[m.severity]} *${label}*` }] });
  if (buttons.length) {
    blocks.push({
      type: 'actions',
      // Link buttons: Slack opens the URL itself, so no app or interactivity endpoint is needed.
      elements: buttons.map((b, i) => ({ type: 'button', action_id: `link-${i}`, text: { type: 'plain_text', text: truncate(b.label, 75), emoji: true }, url: b.url })),
    });
  }
  // `text` is what notifications and clients without blocks show.
  const text = mrkdwnWithin(`[${label}] ${m.title}${m.body ? `\n${m.body}` : ''}`, 3000);
  return { text, blocks };
}

export const slackChannel: Channel = {
  type: 'slack',
  title: 'Slack (incoming webhook)',
  config,
  secretFields: ['webhookUrl'],
  async deliver(message, raw, signal) {
    const parsed = parseConfig(config, raw);
    if (!parsed.ok) return parsed.result;
    const { webhookUrl } = parsed.data;
    return postForDelivery({
      url: webhookUrl,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(payload(message)),
      secrets: urlSecrets(webhookUrl),
      signal,
    });
  },
};
