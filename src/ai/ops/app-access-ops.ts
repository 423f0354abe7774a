import { z } from 'zod';
import { appRef } from '../../apps/schemas.js';
import { defineOp } from '../../kernel/ops/define.js';
import { OpError } from '../../kernel/ops/errors.js';
import { PROVIDERS, providerById } from '../providers/index.js';

const accessSchema = z.object({
  app: z.string(),
  requested: z
    .object({ model: z.string().optional(), provider: z.string().optional(), dailyUsd: z.number().optional() })
    .nullable()
    .describe('What the active version\'s manifest asks for under "ai"; null when it does not'),
  granted: z.object({ dailyUsd: z.number().nullable(), grantedBy: z.string(), grantedAt: z.string() }).nullable().describe('The owner\'s permission; null when not allowed'),
  dailyUsd: z.number().describe('The daily cap that applies: the grant\'s, else the manifest\'s, else $1'),
  spentTodayUsd: z.number(),
  ownKeys: z.array(z.string()).describe('Providers for which the app has its own key (its calls use it instead of the server\'s)'),
});

const providerId = z.enum(PROVIDERS.map((p) => p.id) as [string, ...string[]]);

export const appsAiAccess = defineOp({
  name: 'apps.ai.access',
  title: 'App AI access',
  description: "Shows whether an app may call models with fazt.ai: what its manifest asks, whether the owner allowed it, its daily cap, today's spend and its own keys (never shown).",
  input: z.object({ app: appRef }),
  output: accessSchema,
  requires: ['kernel:apps:read', 'app:{app}:read'],
  risk: 'read',
  idempotent: true,
  cli: { command: ['apps', 'ai', 'access'], positional: ['app'] },
  handler: ({ kernel }, input) => kernel.services.ai.apps.access(input.app),
});

export const appsAiGrant = defineOp({
  name: 'apps.ai.grant',
  title: 'Allow an app to use AI',
  description:
    "Lets an app call models with fazt.ai.complete / fazt.ai.embed, within a daily cap in USD (default: its manifest's, else $1). With provider + apiKey the app's calls to that provider use its own key (stored encrypted, never shown). Only the owner, in person: every call spends money and sends the app's data to a provider.",
  input: z.object({
    app: appRef,
    dailyUsd: z.number().min(0).max(10_000).optional().describe('Daily cap for this app in USD'),
    provider: providerId.optional().describe('Provider the own key is for'),
    apiKey: z.string().min(1).max(4096).optional().describe("The app's own key for `provider`"),
  }),
  output: accessSchema,
  requires: 'kernel:apps:write',
  risk: 'write',
  humanOnly: true,
  cli: { command: ['apps', 'ai', 'grant'], positional: ['app'] },
  handler: ({ kernel, caller }, input) => {
    if ((input.apiKey === undefined) !== (input.provider === undefined)) throw new OpError('BAD_INPUT', 'An own key needs both provider and apiKey.');
    const appAi = kernel.services.ai.apps;
    const app = kernel.services.apps.get(input.app);
    if (!appAi.access(app.id).requested) {
      throw new OpError('BAD_INPUT', `${app.slug}'s manifest.json does not ask for AI; add "ai": {"dailyUsd": …} to it and deploy first.`);
    }
    if (input.provider) {
      providerById(input.provider);
      appAi.setOwnKey(app.id, input.provider, input.apiKey!);
    }
    appAi.grants.grant(app.id, input.dailyUsd ?? null, caller.name);
    return appAi.access(app.id);
  },
});

export const appsAiRevoke = defineOp({
  name: 'apps.ai.revoke',
  title: 'Withdraw AI from an app',
  description: "Stops an app's fazt.ai calls and forgets its own provider keys.",
  input: z.object({ app: appRef }),
  output: accessSchema,
  requires: 'kernel:apps:write',
  risk: 'write',
  cli: { command: ['apps', 'ai', 'revoke'], positional: ['app'] },
  handler: ({ kernel }, input) => {
    const app = kernel.services.apps.get(input.app);
    kernel.services.ai.apps.deleteApp(app.id);
    return kernel.services.ai.apps.access(app.id);
  },
});

export const appAiOps = [appsAiAccess, appsAiGrant, appsAiRevoke];
