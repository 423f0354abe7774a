import { z } from 'zod';
import { parseDuration } from '../../auth/tokens.js';
import { defineOp } from '../../kernel/ops/define.js';
import { OpError } from '../../kernel/ops/errors.js';
import { checkChannels, isPaused, saveConfig } from '../config.js';
import { autonomy, configSchema, decisionSchema, personality } from './schemas.js';

const READ = 'kernel:agent:read';
const WRITE = 'kernel:agent:write';

export const agentConfigure = defineOp({
  name: 'agent.configure',
  title: 'Configure the agent',
  description:
    'Sets how much the agent does alone: autonomy (low: observe and notify; medium, the default: act alone on safe allow-listed writes such as rolling back a bad deploy; high: also other reversible writes), ' +
    'personality (helpful, terse, cautious), the notification channels for its reports, shadow mode (decide and journal without acting), per-app autonomy ' +
    '({"shop": {"autonomy": "low"}}) and churn budgets (actions per incident and per hour). Destructive or costly operations always ask the owner whatever the level. With no fields it returns the configuration.',
  input: z.object({
    autonomy: autonomy.optional(),
    personality: personality.optional(),
    channels: z.array(z.string().min(1).max(40)).max(20).optional().describe('Channels for the agent\'s reports (default: all)'),
    shadow: z.boolean().optional().describe('Decide and journal "what I would have done" without acting'),
    apps: z.record(z.string().min(1).max(63), z.object({ autonomy }).strict().nullable()).optional().describe('Per-app autonomy; null removes an override'),
    budgets: z.object({ perIncident: z.number().int().min(0).max(20).optional(), perHour: z.number().int().min(0).max(200).optional() }).strict().optional().describe('Churn budget'),
  }),
  output: configSchema,
  requires: WRITE,
  risk: 'write',
  handler: ({ kernel }, input) => {
    const agent = kernel.services.agent;
    if (input.channels) checkChannels(kernel, input.channels);
    for (const slug of Object.keys(input.apps ?? {})) {
      if (input.apps![slug] !== null && !kernel.services.apps?.find(slug)) throw new OpError('BAD_INPUT', `apps: no app '${slug}'. Run 'fazt apps list' to see your apps.`, { fields: [{ path: `apps.${slug}`, message: 'unknown app' }] });
    }
    const c = agent.config;
    const apps = { ...c.apps };
    for (const [slug, v] of Object.entries(input.apps ?? {})) {
      if (v === null) delete apps[slug];
      else apps[slug] = v;
    }
    agent.config = {
      ...c,
      ...(input.autonomy ? { autonomy: input.autonomy } : {}),
      ...(input.personality ? { personality: input.personality } : {}),
      ...(input.channels ? { channels: input.channels } : {}),
      ...(input.shadow !== undefined ? { shadow: input.shadow } : {}),
      apps,
      budgets: { ...c.budgets, ...(input.budgets ?? {}) },
    };
    saveConfig(kernel, agent.config);
    return agent.config;
  },
});

export const agentStatus = defineOp({
  name: 'agent.status',
  title: 'Agent status',
  description: 'Shows the agent: configuration, whether it is paused, open incidents (and what it is doing about each), its last decisions, actions in the last hour, model calls, and when the next scheduled check (pulse beat) is due.',
  input: z.object({}),
  output: z.object({
    config: configSchema,
    paused: z.boolean(),
    openIncidents: z.array(z.object({ key: z.string(), state: z.string(), playbook: z.string().nullable(), issues: z.array(z.string()), openedAt: z.string(), actions: z.number() })),
    lastDecisions: z.array(decisionSchema),
    actionsLastHour: z.number(),
    modelCalls: z.number(),
    nextCheck: z.string().nullable(),
  }),
  requires: READ,
  risk: 'read',
  handler: ({ kernel }) => {
    const agent = kernel.services.agent;
    const pulse = kernel.services.pulse;
    const last = pulse?.store.latest();
    return {
      config: agent.config,
      paused: isPaused(agent.config),
      openIncidents: agent.incidents.all().map((i) => ({ key: i.key, state: i.state, playbook: i.playbook, issues: [...i.keys], openedAt: new Date(i.openedAt).toISOString(), actions: i.actions })),
      lastDecisions: agent.journal.query({ limit: 5 }),
      actionsLastHour: agent.budget.usedLastHour(),
      modelCalls: agent.modelCalls,
      nextCheck: pulse ? new Date((last?.atMs ?? Date.now()) + pulse.config.intervalMs).toISOString() : null,
    };
  },
});

export const agentPause = defineOp({
  name: 'agent.pause',
  title: 'Pause the agent',
  description: "Stops the agent deciding or acting, for a while (for: 30m, 2h, 1d) or until agent.resume. Pulse keeps watching; issues seen meanwhile are caught on the first beat after it resumes.",
  input: z.object({ for: z.string().optional().describe('How long: 30m, 2h, 1d (default: until agent.resume)') }),
  output: z.object({ pausedUntil: z.string() }),
  requires: WRITE,
  risk: 'write',
  handler: ({ kernel }, input) => {
    let until = 'indefinitely';
    if (input.for !== undefined) {
      const ms = parseDuration(input.for);
      if (ms === null || ms <= 0) throw new OpError('BAD_INPUT', `for: '${input.for}' must be a duration like 30m, 2h or 1d.`, { fields: [{ path: 'for', message: 'expected a duration like 30m, 2h, 1d' }] });
      until = new Date(Date.now() + ms).toISOString();
    }
    const agent = kernel.services.agent;
    agent.config = { ...agent.config, pausedUntil: until };
    saveConfig(kernel, agent.config);
    return { pausedUntil: until };
  },
});

export const agentResume = defineOp({
  name: 'agent.resume',
  title: 'Resume the agent',
  description: 'Lets a paused agent decide and act again (within its autonomy).',
  input: z.object({}),
  output: z.object({ resumed: z.boolean() }),
  requires: WRITE,
  risk: 'write',
  handler: ({ kernel }) => {
    const agent = kernel.services.agent;
    const was = isPaused(agent.config);
    agent.config = { ...agent.config, pausedUntil: null };
    saveConfig(kernel, agent.config);
    return { resumed: was };
  },
});

export const agentAcknowledge = defineOp({
  name: 'agent.acknowledge',
  title: 'Acknowledge an incident',
  description: "Tells the agent the owner is handling an incident: it stays quiet about it until pulse sees it resolved. The agent's escalations without an action offer this as their answer.",
  input: z.object({ incident: z.string().min(1).max(300).describe('Incident key, e.g. app:shop or disk.usage:/data') }),
  output: z.object({ incident: z.string(), acknowledged: z.boolean() }),
  requires: [WRITE, 'kernel:agent:ack'],
  risk: 'write',
  handler: ({ kernel }, input) => ({ incident: input.incident, acknowledged: kernel.services.agent.acknowledge(input.incident) }),
});
