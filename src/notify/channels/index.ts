import { OpError } from '../../kernel/ops/errors.js';
import { discordChannel } from './discord.js';
import { emailChannel } from './email.js';
import { ntfyChannel } from './ntfy.js';
import { slackChannel } from './slack.js';
import { smsChannel } from './sms.js';
import { telegramChannel } from './telegram.js';
import type { Channel } from './types.js';
import { webhookChannel } from './webhook.js';

/** Every channel type; adding one is a file in this folder and a line here. */
export const CHANNELS: Channel[] = [emailChannel, slackChannel, discordChannel, ntfyChannel, smsChannel, webhookChannel, telegramChannel];

export function channelByType(type: string): Channel {
  const c = CHANNELS.find((x) => x.type === type);
  if (!c) {
    const known = CHANNELS.map((x) => x.type);
    throw new OpError('BAD_INPUT', `Unknown channel type '${type}'. Known types: ${known.join(', ')}.`, { known });
  }
  return c;
}
