import { z } from 'zod';
import { httpUrl, parseConfig, postForDelivery } from './http-delivery.js';
import { severityLabel, truncate } from './message-format.js';
import type { Channel, Message } from './types.js';

const e164 = z.string().regex(/^\+[1-9]\d{1,14}$/, 'must be an E.164 phone number, like +15558675310');

const config = z.strictObject({
  accountSid: z.string().regex(/^AC[0-9a-fA-F]{32}$/, 'must be a Twilio Account SID (AC + 32 hex digits)'),
  authToken: z.string().min(1),
  /** A Twilio number (E.164), a short code, or an alphanumeric sender ID where the country allows one. */
  from: z.union([e164, z.string().regex(/^(\d{5,6}|(?=.*[A-Za-z])[A-Za-z0-9 ]{1,11})$/)], { error: 'must be an E.164 number, a short code or an alphanumeric sender ID' }),
  to: e164,
  apiBase: httpUrl().default('https://api.twilio.com'),
});

// Two SMS segments; an SMS only says what happened and where to look.
const MAX_BODY = 320;

/** Severity and title, then the first link on its own line, kept whole or left out. */
function smsBody(m: Message): string {
  const head = `[${severityLabel[m.severity]}] ${m.title}`;
  const link = m.link ?? m.actions?.[0]?.url;
  if (link && link.length + 1 <= MAX_BODY - 40) return `${truncate(head, MAX_BODY - link.length - 1)}\n${link}`;
  return truncate(head, MAX_BODY);
}

export const smsChannel: Channel = {
  type: 'sms',
  title: 'SMS (Twilio)',
  config,
  secretFields: ['authToken'],
  async deliver(message, raw, signal) {
    const parsed = parseConfig(config, raw);
    if (!parsed.ok) return parsed.result;
    const { accountSid, authToken, from, to, apiBase } = parsed.data;
    return postForDelivery({
      url: `${apiBase.replace(/\/+$/, '')}/2010-04-01/Accounts/${accountSid}/Messages.json`,
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`${accountSid}:${authToken}`).toString('base64')}`,
      },
      body: new URLSearchParams({ To: to, From: from, Body: smsBody(message) }).toString(),
      secrets: [authToken, Buffer.from(`${accountSid}:${authToken}`).toString('base64')],
      signal,
    });
  },
};
