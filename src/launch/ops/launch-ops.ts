import { isIP } from 'node:net';
import { z } from 'zod';
import type { Kernel } from '../../kernel/kernel.js';
import { defineOp, type OpContext } from '../../kernel/ops/define.js';
import { providersOf } from '../../infra/catalogue.js';
import { SERVER_NAME_RE } from '../../infra/ops/vps-schemas.js';
import { slugify } from '../../apps/apps-service.js';
import { OpError } from '../../kernel/ops/errors.js';
import { normalizeDomain } from '../../ssl/domain-name.js';
import type { LaunchPlan } from '../plan-store.js';
import { runPlan } from '../runner.js';
import type { LaunchInput, StepState } from '../step.js';
import { STEPS } from '../steps/index.js';

const launchInput = z.object({
  name: z.string().min(1).max(100).describe('The app: its name (and slug)'),
  domain: z.string().min(1).max(253).describe('Where it will live, e.g. photos.example.com'),
  template: z.string().min(1).max(40).optional().describe('Start from a built-in template (see apps.templates): blog, portfolio, landing, links'),
  address: z.string().optional().describe("This server's public IP: the domain's A/AAAA record is set to it through the DNS provider that hosts the zone"),
  vps: z
    .object({
      provider: z.string().min(1).max(40).describe('hetzner, digitalocean or local (a child fazt on this machine)'),
      type: z.string().min(1).max(64).describe("Server type; see 'infra.vps.types'"),
      region: z.string().min(1).max(64).describe("Location; see 'infra.vps.regions'"),
      name: z.string().min(1).max(63).optional().describe("The server's name (default: the app's slug); an existing server of that name is reused"),
    })
    .strict()
    .optional()
    .describe('Run the app on its own server: created with fazt installed (costs money: it waits for your approval once), its address put in DNS, and the app, domain and certificate set up there'),
});

const stepSchema = z.object({
  key: z.string(),
  title: z.string(),
  op: z.string(),
  status: z.enum(['pending', 'running', 'done', 'skipped', 'failed', 'waiting']),
  detail: z.string(),
  output: z.unknown().optional(),
  error: z.object({ code: z.string(), message: z.string() }).optional(),
  haltId: z.string().optional(),
  server: z.string().optional().describe('The server whose fazt runs this step, when not this one'),
});
const planSchema = z.object({
  id: z.string(),
  app: z.string(),
  domain: z.string(),
  status: z.enum(['running', 'waiting', 'done', 'failed', 'interrupted']),
  steps: z.array(stepSchema),
  createdAt: z.string(),
  updatedAt: z.string(),
  next: z.string().describe('What happens next, in plain words'),
});

function checked(input: z.infer<typeof launchInput>, kernel: Kernel): LaunchInput {
  const domain = normalizeDomain(input.domain);
  if (input.address !== undefined && !isIP(input.address)) throw new OpError('BAD_INPUT', `address: '${input.address}' is not an IPv4 or IPv6 address.`);
  const { vps: v, ...rest } = input;
  if (!v) return { ...rest, domain };
  const vpsProviders = providersOf('vps');
  if (!vpsProviders.includes(v.provider)) throw new OpError('BAD_INPUT', `vps.provider: unknown provider '${v.provider}'; valid: ${vpsProviders.join(', ')}.`, { valid: vpsProviders });
  // The server is named after the app's slug unless named.
  const name = v.name ?? slugify(input.name);
  if (!SERVER_NAME_RE.test(name)) throw new OpError('BAD_INPUT', `vps.name: '${name}' is not a host name (lower-case letters, digits and -, like photos-1).`);
  if (!kernel.registry.get('infra.peers.call')) throw new OpError('UNAVAILABLE', 'Servers are not available on this fazt.');
  return { ...rest, domain, vps: { ...v, name } };
}

async function planSteps(input: LaunchInput, ctx: OpContext): Promise<StepState[]> {
  const out: StepState[] = [];
  for (const s of STEPS) {
    const p = await s.plan(input, ctx.kernel);
    const remote = s.onServer && input.vps ? input.vps.name : undefined;
    out.push({
      key: s.key,
      title: s.title,
      op: remote ? 'infra.peers.call' : s.op,
      status: p.skip ? 'skipped' : 'pending',
      detail: remote && !p.skip ? `${p.detail} On the server '${remote}' (${s.op}).` : p.detail,
      ...(remote ? { server: remote } : {}),
    });
  }
  return out;
}

function shown(plan: Pick<LaunchPlan, 'status' | 'steps' | 'id' | 'domain'>): string {
  const failed = plan.steps.find((s) => s.status === 'failed');
  const waiting = plan.steps.find((s) => s.status === 'waiting');
  switch (plan.status) {
    case 'done': {
      const where = plan.steps.find((s) => s.key === 'app')?.server;
      const https = plan.steps.find((s) => s.key === 'certificate')?.status === 'done';
      return `Launched: ${https ? 'https' : 'http'}://${plan.domain}/ is served by ${where ? `the server '${where}'` : 'this server'}.`;
    }
    case 'waiting':
      return `Waiting for the owner to approve halt ${waiting?.haltId}; then run the launch again (fazt apps launch resume ${plan.id}).`;
    case 'failed':
      return `'${failed?.title}' failed: ${failed?.error?.message} Fix that, then run the launch again (fazt apps launch resume ${plan.id}); done steps are not repeated.`;
    case 'interrupted':
      return `The server stopped during the launch. Resume it (fazt apps launch resume ${plan.id}): the interrupted step is checked before anything is repeated.`;
    default:
      return 'Running.';
  }
}

/** Two launch inputs ask for the same thing (key order aside). */
function sameLaunch(a: LaunchInput, b: LaunchInput): boolean {
  const canonical = (v: unknown): unknown =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== undefined).sort(([x], [y]) => (x < y ? -1 : 1)).map(([k, x]) => [k, canonical(x)]))
      : v;
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}

/** The halt a paused launch waits on (its output's waiting step). */
const waitingHalt = (output: unknown): string | undefined => {
  const plan = output as Pick<LaunchPlan, 'status' | 'steps'>;
  return plan.status === 'waiting' ? plan.steps.find((x) => x.status === 'waiting')?.haltId : undefined;
};

const out = (p: LaunchPlan) => ({ id: p.id, app: p.app, domain: p.domain, status: p.status, steps: p.steps, createdAt: p.createdAt, updatedAt: p.updatedAt, next: shown(p) });

export const appsLaunchPlan = defineOp({
  name: 'apps.launch.plan',
  title: 'Plan a launch',
  description: 'Shows what apps.launch would do for an app at a domain, step by step, without doing anything: which steps apply, which are skipped and why.',
  input: launchInput,
  output: z.object({ app: z.string(), domain: z.string(), steps: z.array(stepSchema) }),
  requires: 'kernel:apps:read',
  risk: 'read',
  idempotent: true,
  cli: { command: ['apps', 'launch', 'plan'], positional: ['name', 'domain'] },
  handler: async (ctx, raw) => {
    const input = checked(raw, ctx.kernel);
    return { app: input.name, domain: input.domain, steps: await planSteps(input, ctx) };
  },
});

export const appsLaunch = defineOp({
  name: 'apps.launch',
  title: 'Launch an app at a domain',
  description:
    "Launches an app at its own domain in one call: with vps, first creates (or reuses) a server with fazt installed — it costs money, so the launch asks once, with the monthly price: the user in the client when the client can ask (elicitation), else as a halt the owner approves; then points the domain at the server (when its DNS is hosted by a configured provider), creates the app (from a template), adds the domain and issues its HTTPS certificate — on the new server's fazt when there is one (through infra.peers.call). Each step is an ordinary op call, audited; the plan is saved after every step. A step that needs the owner's approval pauses the launch; a failed step stops it; calling apps.launch again with the same input (or apps.launch.resume) continues where it stopped without repeating done steps; with changed settings (a fixed template, another server type) it is a new launch. See apps.launch.plan first.",
  input: launchInput,
  output: planSchema,
  requires: 'kernel:apps:write',
  risk: 'write',
  // As a task it survives a restart: run again, it continues the saved plan.
  longRunning: true,
  resumable: true,
  cli: { command: ['apps', 'launch'], positional: ['name', 'domain'], waitsOn: waitingHalt },
  handler: async (ctx, raw) => {
    const input = checked(raw, ctx.kernel);
    const store = ctx.kernel.services.launch;
    const latest = store.latest(input.name, input.domain);
    // The same launch again continues it; changed settings (another server type, a template) start a new one.
    const same = latest !== undefined && sameLaunch(latest.input, input);
    if (latest && !same && latest.status === 'running') {
      throw new OpError('CONFLICT', `A launch of ${input.name} at ${input.domain} with other settings is running (${latest.id}); wait for it (fazt apps launch status ${latest.id}).`, { id: latest.id });
    }
    const plan = same ? latest : store.create(input, ctx.caller.name, await planSteps(input, ctx));
    return out(plan.status === 'done' ? plan : await runPlan(plan, store, ctx));
  },
});

export const appsLaunchResume = defineOp({
  name: 'apps.launch.resume',
  title: 'Resume a launch',
  description: 'Continues a launch that waited for an approval, failed or was interrupted, from its first step not done; the interrupted step is checked first so nothing is done twice.',
  input: z.object({ id: z.string().min(1).max(64) }),
  output: planSchema,
  requires: 'kernel:apps:write',
  risk: 'write',
  cli: { command: ['apps', 'launch', 'resume'], positional: ['id'], waitsOn: waitingHalt },
  handler: async (ctx, input) => {
    const store = ctx.kernel.services.launch;
    const plan = store.get(input.id);
    if (!plan) throw new OpError('NOT_FOUND', `No launch '${input.id}'; see fazt apps launch list.`);
    if (plan.status === 'done') return out(plan);
    return out(await runPlan(plan, store, ctx));
  },
});

export const appsLaunchStatus = defineOp({
  name: 'apps.launch.status',
  title: 'Launch status',
  description: 'One launch: each step with its state, output or error, and what happens next.',
  input: z.object({ id: z.string().min(1).max(64) }),
  output: planSchema,
  requires: 'kernel:apps:read',
  risk: 'read',
  idempotent: true,
  cli: { command: ['apps', 'launch', 'status'], positional: ['id'] },
  handler: ({ kernel }, input) => {
    const plan = kernel.services.launch.get(input.id);
    if (!plan) throw new OpError('NOT_FOUND', `No launch '${input.id}'; see fazt apps launch list.`);
    return out(plan);
  },
});

export const appsLaunchList = defineOp({
  name: 'apps.launch.list',
  title: 'Launches',
  description: 'Recent launches, newest first, with their state.',
  input: z.object({ limit: z.number().int().min(1).max(200).default(20) }),
  output: z.object({ launches: z.array(planSchema) }),
  requires: 'kernel:apps:read',
  risk: 'read',
  idempotent: true,
  cli: { command: ['apps', 'launch', 'list'] },
  handler: ({ kernel }, input) => ({ launches: kernel.services.launch.list(input.limit).map(out) }),
});

export const launchOps = [appsLaunchPlan, appsLaunch, appsLaunchResume, appsLaunchStatus, appsLaunchList];
