import { z } from 'zod';
import { defineOp } from '../../kernel/ops/define.js';
import { parseSince } from '../../kernel/time.js';
import { BUDGET_KEY, type Budget } from '../budget.js';
import { PRICES_KEY, REDACT_KEY } from '../ai-service.js';

export const aiUsage = defineOp({
  name: 'ai.usage',
  title: 'AI usage and spend',
  description: 'Tokens and USD spent on AI, per day, provider, model and app, since a time (default 7d), plus today\'s spend against the daily cap.',
  input: z.object({ since: z.string().default('7d').describe('1h, 7d, 30d or an ISO time'), app: z.string().optional().describe('Only this app (slug or id)') }),
  output: z.object({
    rows: z.array(z.object({ day: z.string(), provider: z.string(), model: z.string(), app: z.string().nullable(), calls: z.number().int(), inputTokens: z.number().int(), outputTokens: z.number().int(), costUsd: z.number() })),
    totalUsd: z.number(),
    todayUsd: z.number(),
    dailyCapUsd: z.number().nullable(),
  }),
  requires: 'kernel:ai:read',
  risk: 'read',
  cli: { command: ['ai', 'usage'] },
  handler: ({ kernel }, input) => {
    const since = parseSince(input.since);
    const appId = input.app === undefined ? undefined : kernel.services.apps.get(input.app).id;
    const usage = kernel.services.ai.usage;
    const rows = usage.summary(since, appId);
    const budget = kernel.settings.get<Budget>(BUDGET_KEY, {});
    return { rows, totalUsd: Math.round(rows.reduce((n, r) => n + r.costUsd, 0) * 1e6) / 1e6, todayUsd: usage.spentToday(appId), dailyCapUsd: budget.dailyUsd ?? null };
  },
});

export const aiBudgetSet = defineOp({
  name: 'ai.budget.set',
  title: 'Set the AI daily cap',
  description: 'Caps what the whole server may spend on AI per UTC day (USD); calls past it are refused with AI_BUDGET_EXCEEDED until midnight UTC. dailyUsd null removes the cap.',
  input: z.object({ dailyUsd: z.number().min(0).max(100_000).nullable() }),
  output: z.object({ dailyUsd: z.number().nullable() }),
  requires: 'kernel:ai:write',
  risk: 'write',
  cli: { command: ['ai', 'budget', 'set'] },
  handler: ({ kernel }, input) => {
    kernel.settings.set(BUDGET_KEY, input.dailyUsd === null ? {} : { dailyUsd: input.dailyUsd });
    return { dailyUsd: input.dailyUsd };
  },
});

const price = z.object({ input: z.number().min(0).max(10_000), output: z.number().min(0).max(10_000) });

export const aiConfigure = defineOp({
  name: 'ai.configure',
  title: 'Configure AI prices and redaction',
  description:
    'Sets prices (USD per million input/output tokens) for model ids or id prefixes, overriding the built-in table (a price of null removes an override), and whether e-mail addresses and IP addresses are removed from everything sent to a model. With no fields it returns the current settings.',
  input: z.object({
    prices: z.record(z.string().min(1).max(200), price.nullable()).optional().describe('e.g. {"my-model": {"input": 1, "output": 4}}'),
    redactEmails: z.boolean().optional(),
    redactIps: z.boolean().optional(),
  }),
  output: z.object({ prices: z.record(z.string(), price), redactEmails: z.boolean(), redactIps: z.boolean() }),
  requires: 'kernel:ai:write',
  risk: 'write',
  cli: { command: ['ai', 'configure'] },
  handler: ({ kernel }, input) => {
    const prices = { ...kernel.settings.get<Record<string, z.infer<typeof price>>>(PRICES_KEY, {}) };
    for (const [model, p] of Object.entries(input.prices ?? {})) {
      if (p === null) delete prices[model];
      else prices[model] = p;
    }
    const redact = { ...kernel.settings.get<{ emails?: boolean; ips?: boolean }>(REDACT_KEY, {}) };
    if (input.redactEmails !== undefined) redact.emails = input.redactEmails;
    if (input.redactIps !== undefined) redact.ips = input.redactIps;
    kernel.settings.set(PRICES_KEY, prices);
    kernel.settings.set(REDACT_KEY, redact);
    return { prices, redactEmails: redact.emails ?? false, redactIps: redact.ips ?? false };
  },
});
