import { z } from 'zod';
import { defineOp } from '../../kernel/ops/define.js';
import { OpError } from '../../kernel/ops/errors.js';
import { loadRules, MAX_RULES, saveRules, SEVERITIES } from '../rules.js';
import { checkTimezone, clockMinutes, parseQuietHours, type NotifySchedule } from '../schedule.js';

const severity = z.enum(SEVERITIES as ['info', 'warning', 'critical']);
const rule = z
  .object({
    events: z.string().min(1).max(200).regex(/^\S+$/, 'an event pattern without spaces, such as system.halt.created or app:shop.*').describe('Event pattern'),
    minSeverity: severity.optional().describe('Only events at least this severe'),
    channels: z.array(z.string().min(1).max(40)).min(1).max(20).optional().describe('Channel names (default: all)'),
    deliver: z.enum(['now', 'digest', 'off']).describe('Send now, hold for the daily digest, or drop'),
  })
  .strict();
const rulesOutput = z.object({ rules: z.array(rule), isDefault: z.boolean().describe('True while the built-in rules apply') });

export const notifyRulesList = defineOp({
  name: 'notify.rules.list',
  title: 'Notification rules',
  description:
    'The rules that decide which events reach which channels, first match wins. Halt decisions always go where their question went; notifications\' own events never route.',
  input: z.object({}),
  output: rulesOutput,
  requires: 'kernel:notify:read',
  risk: 'read',
  idempotent: true,
  cli: { command: ['notify', 'rules', 'list'] },
  handler: ({ kernel }) => loadRules(kernel),
});

export const notifyRulesSet = defineOp({
  name: 'notify.rules.set',
  title: 'Set notification rules',
  description:
    'Replaces the routing rules: each {events (pattern), minSeverity?, channels? (default all), deliver: now|digest|off}; the first rule matching an event decides. reset: true goes back to the built-in rules (a new halt and a critical pulse issue now, pulse warnings in the digest).',
  input: z.object({
    rules: z.array(rule).max(MAX_RULES).optional(),
    reset: z.boolean().optional().describe('Back to the built-in rules'),
  }),
  output: rulesOutput,
  requires: 'kernel:notify:write',
  risk: 'write',
  cli: { command: ['notify', 'rules', 'set'] },
  handler: ({ kernel }, input) => {
    if ((input.rules === undefined) === (input.reset !== true)) throw new OpError('BAD_INPUT', 'Give rules (a list) or reset: true.');
    saveRules(kernel, input.reset ? null : input.rules!);
    return loadRules(kernel);
  },
});

const scheduleOutput = z.object({
  quietHours: z.string().nullable(),
  timezone: z.string(),
  digest: z.string().nullable(),
  quietNow: z.boolean(),
  held: z.number().int().describe('Messages waiting for the next digest'),
});

export const notifyConfigure = defineOp({
  name: 'notify.configure',
  title: 'Quiet hours and digest',
  description:
    'Quiet hours ("22:00-07:00", in timezone): only critical messages go out; the rest waits for the digest. digest ("08:00") is when held messages go out as one message (default: the end of quiet hours, else 08:00). null turns a setting off. With no fields, shows the settings.',
  input: z.object({
    quietHours: z.string().max(20).nullable().optional().describe('HH:MM-HH:MM, or null for none'),
    timezone: z.string().min(1).max(64).optional().describe('IANA zone, e.g. Europe/Berlin (default UTC)'),
    digest: z.string().max(5).nullable().optional().describe('HH:MM, or null for the default'),
  }),
  output: scheduleOutput,
  requires: 'kernel:notify:write',
  risk: 'write',
  cli: { command: ['notify', 'configure'] },
  handler: ({ kernel }, input) => {
    const notify = kernel.services.notify;
    const next: NotifySchedule = { ...notify.settingsSchedule() };
    if (input.quietHours !== undefined) next.quietHours = input.quietHours === null ? null : (parseQuietHours(input.quietHours), input.quietHours);
    if (input.timezone !== undefined) next.timezone = checkTimezone(input.timezone);
    if (input.digest !== undefined) next.digest = input.digest === null ? null : (clockMinutes(input.digest, 'digest'), input.digest);
    notify.setSettingsSchedule(next);
    return { ...next, quietNow: notify.isQuietNow(), held: notify.held.open().length };
  },
});

export const notifyDigest = defineOp({
  name: 'notify.digest',
  title: 'The digest',
  description: 'Lists the messages held for the next digest; with send: true sends them now as one message.',
  input: z.object({ send: z.boolean().optional() }),
  output: z.object({
    held: z.array(z.object({ messageId: z.string(), title: z.string(), severity, reason: z.enum(['digest', 'quiet']), createdAt: z.string() })),
    sent: z.object({ id: z.string(), channels: z.array(z.string()) }).nullable(),
  }),
  requires: 'kernel:notify:write',
  risk: 'write',
  cli: { command: ['notify', 'digest'] },
  handler: async ({ kernel }, input) => {
    const notify = kernel.services.notify;
    const held = notify.held.open().map((h) => ({ messageId: h.messageId, title: h.message.title, severity: h.message.severity, reason: h.reason, createdAt: h.createdAt }));
    if (!input.send) return { held, sent: null };
    const r = await notify.sendDigest();
    return { held, sent: r ? { id: r.id, channels: r.deliveries.map((d) => d.channel) } : null };
  },
});

export const notifyRuleOps = [notifyRulesList, notifyRulesSet, notifyConfigure, notifyDigest];
