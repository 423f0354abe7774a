import { z } from 'zod';
import { defineOp } from '../../kernel/ops/define.js';
import { parseSince } from '../../kernel/time.js';
import { httpUrl } from '../channels/config-fields.js';

const severity = z.enum(['info', 'warning', 'critical']);

export const notifySend = defineOp({
  name: 'notify.send',
  title: 'Send a notification',
  description: 'Sends a message to one channel or to all. It is written to the outbox first, then delivered; a failed delivery is retried (30 s doubling to 1 h) for 24 hours. Returns the message id and each channel\'s status (sent, pending, failed).',
  input: z.object({
    channel: z.string().min(1).max(40).optional().describe('One channel by name (default: all)'),
    title: z.string().min(1).max(200),
    body: z.string().max(10_000),
    severity: severity.default('info'),
    link: httpUrl.optional(),
    actions: z.array(z.object({ label: z.string().min(1).max(40), url: httpUrl })).max(3).optional().describe('Up to 3 link buttons'),
  }),
  output: z.object({
    id: z.string(),
    held: z.enum(['digest', 'quiet']).optional().describe('Kept for the digest instead of sent (quiet hours)'),
    deliveries: z.array(z.object({ channel: z.string(), status: z.enum(['pending', 'sent', 'failed']), attempts: z.number(), error: z.string().optional() })),
  }),
  requires: 'kernel:notify:write',
  risk: 'write',
  cli: { command: ['notify', 'send'], positional: ['title', 'body'] },
  handler: ({ kernel }, { channel, ...message }) => kernel.services.notify.send(message, { channel }),
});

export const notifyHistory = defineOp({
  name: 'notify.history',
  title: 'Notification history',
  description: 'Deliveries from the outbox, newest first: message id and title, channel, status (pending, sent, failed), attempts, next attempt, last error. Filter by time (since: 1h, 7d or ISO), channel and status.',
  input: z.object({
    since: z.string().optional().describe('A duration ago (30m, 1h, 7d) or an ISO time'),
    channel: z.string().min(1).max(40).optional(),
    status: z.enum(['pending', 'sent', 'failed']).optional(),
    limit: z.number().int().min(1).max(1000).default(100),
  }),
  output: z.object({
    deliveries: z.array(z.object({
      id: z.number(), messageId: z.string(), channel: z.string(), title: z.string(), severity, status: z.enum(['pending', 'sent', 'failed']),
      attempts: z.number(), nextAttemptAt: z.string().nullable(), lastError: z.string().nullable(), createdAt: z.string(), sentAt: z.string().nullable(),
    })),
  }),
  requires: 'kernel:notify:read',
  risk: 'read',
  idempotent: true,
  cli: { command: ['notify', 'history'] },
  handler: ({ kernel }, input) => ({
    deliveries: kernel.services.notify.outbox.history({ ...input, since: input.since ? parseSince(input.since, 'since', kernel.services.notify.now()) : undefined }),
  }),
});
