import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { defineOp } from '../../kernel/ops/define.js';
import { CHANNELS } from '../channels/index.js';

export const channelName = z
  .string()
  .regex(/^[a-z][a-z0-9-]{0,39}$/, { error: 'lowercase letters, digits and -, starting with a letter, at most 40' });

const channelInfo = z.object({
  name: z.string(),
  type: z.string(),
  config: z.record(z.string(), z.unknown()),
  secretsSet: z.array(z.string()),
  createdAt: z.string(),
});

const TYPES = CHANNELS.map((c) => c.type).join(', ');

export const notifyChannelsAdd = defineOp({
  name: 'notify.channels.add',
  title: 'Add a notification channel',
  description: `Adds a channel fazt notifies the owner through (types: ${TYPES}). The config is checked against the type's fields; credentials (SMTP password, webhook signing secret) are stored encrypted and never shown again. The name defaults to the type.`,
  input: z.object({
    type: z.string().min(1).max(40).describe(`Channel type: ${TYPES}`),
    name: channelName.optional().describe('Name to refer to it by (default: the type)'),
    config: z.record(z.string(), z.unknown()).describe('Fields of the channel type, e.g. email {host, port, secure, user, password, from, to}; webhook {url, secret}'),
  }),
  output: channelInfo,
  requires: 'kernel:notify:write',
  risk: 'write',
  cli: { command: ['notify', 'channels', 'add'], positional: ['type', 'name'] },
  handler: ({ kernel }, input) => kernel.services.notify.channels.add(input.type, input.name ?? input.type, input.config),
});

export const notifyChannelsList = defineOp({
  name: 'notify.channels.list',
  title: 'List notification channels',
  description: 'The notification channels: type, name, non-secret config and which secret fields are set (never their values), plus the known channel types.',
  input: z.object({}),
  output: z.object({ channels: z.array(channelInfo), types: z.array(z.object({ type: z.string(), title: z.string(), secretFields: z.array(z.string()) })) }),
  requires: 'kernel:notify:read',
  risk: 'read',
  idempotent: true,
  cli: { command: ['notify', 'channels', 'list'] },
  handler: ({ kernel }) => ({
    channels: kernel.services.notify.channels.list(),
    types: CHANNELS.map((c) => ({ type: c.type, title: c.title, secretFields: [...c.secretFields] })),
  }),
});

export const notifyChannelsRemove = defineOp({
  name: 'notify.channels.remove',
  title: 'Remove a notification channel',
  description: 'Removes a notification channel and deletes its stored credentials; its delivery history stays.',
  input: z.object({ name: z.string().min(1).max(40) }),
  output: z.object({ removed: z.boolean() }),
  requires: 'kernel:notify:write',
  risk: 'write',
  cli: { command: ['notify', 'channels', 'remove'], positional: ['name'] },
  handler: ({ kernel }, input) => {
    kernel.services.notify.channels.require(input.name);
    return { removed: kernel.services.notify.channels.remove(input.name) };
  },
});

export const notifyChannelsTest = defineOp({
  name: 'notify.channels.test',
  title: 'Send a test notification',
  description: "Delivers a test message through one channel now (not through the outbox) and returns the provider's answer (SMTP reply, HTTP status and body), with credentials removed.",
  input: z.object({ name: z.string().min(1).max(40) }),
  output: z.object({ ok: z.boolean(), permanent: z.boolean().optional(), detail: z.string().optional(), retryAfterSeconds: z.number().optional() }),
  requires: 'kernel:notify:write',
  risk: 'write',
  cli: { command: ['notify', 'test'], positional: ['name'] },
  handler: ({ kernel }, input) => {
    const notify = kernel.services.notify;
    return notify.deliverNow(input.name, {
      id: 'test_' + randomBytes(6).toString('hex'),
      title: 'Test notification from fazt',
      body: `This is a test of the channel '${input.name}'. If you read it, notifications reach you here.`,
      severity: 'info',
      at: new Date(notify.now()).toISOString(),
    });
  },
});
