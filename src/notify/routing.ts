import type { FaztEvent } from '../events/bus.js';
import type { Kernel } from '../kernel/kernel.js';
import { matches } from '../events/pattern.js';
import type { MessageAction } from './channels/types.js';
import type { SendInput } from './notify-service.js';
import { loadRules, ruleFor, severityOf, type NotifyRule } from './rules.js';

/**
 * Signed approve/deny links for a halt, provided by the approvals area as
 * `kernel.services.approvals` when it is present; notifications carry them as actions.
 */
export interface ApprovalLinks {
  linksFor(haltId: string): MessageAction[] | Promise<MessageAction[]>;
}

export const haltMessageId = (haltId: string) => `halt:${haltId}`;

function warn(what: string, err: unknown): void {
  process.emitWarning(`notify: ${what}: ${(err as Error).message}`);
}

/** Read through this narrow view, so the approvals area owns its own Services declaration. */
export async function approvalLinks(kernel: Kernel, haltId: string): Promise<MessageAction[]> {
  const approvals = (kernel.services as { approvals?: ApprovalLinks }).approvals;
  try {
    return (await approvals?.linksFor(haltId)) ?? [];
  } catch (err) {
    // The question still goes out without links: the CLI command is in the body.
    warn('approval links', err);
    return [];
  }
}

/** A halt waiting for the owner, with how to approve it. */
async function haltCreatedMessage(kernel: Kernel, e: FaztEvent): Promise<SendInput | null> {
  const id = String((e.data as { id?: string }).id ?? '');
  const halt = kernel.halts.get(id);
  if (!halt) return null;
  const actions = (await approvalLinks(kernel, id)).slice(0, 3);
  return {
    id: haltMessageId(id),
    title: `Approval needed: ${halt.reason}`,
    body: [
      halt.reason,
      '',
      `Caller: ${halt.caller.name} (${halt.caller.kind}, via ${halt.surface})`,
      `Operation: ${halt.op}`,
      `Deadline: ${halt.expiresAt} (${halt.defaultDecision === 'proceed' ? 'it proceeds' : 'denied'} if nobody decides)`,
      '',
      `Approve on the server: fazt halt approve ${id}`,
      `Deny: fazt halt deny ${id}`,
    ].join('\n'),
    severity: 'warning',
    ...(actions.length ? { actions } : {}),
  };
}

/** The decision goes where the question went. */
function onHaltDecided(kernel: Kernel, e: FaztEvent): Promise<unknown> | void {
  const d = e.data as { id?: string; op?: string; status?: string; decidedBy?: string };
  const id = String(d.id ?? '');
  const notify = kernel.services.notify;
  const channels = notify.outbox.channelsOf(haltMessageId(id)).filter((c) => notify.channels.has(c));
  if (!channels.length) return;
  const message = {
    id: `halt-decided:${id}`,
    title: `Halt ${d.status}: ${d.op}`,
    body: `Halt ${id} (${d.op}) was ${d.status} by ${d.decidedBy}.`,
    severity: 'info' as const,
  };
  return Promise.all(channels.map((channel) => notify.send(message, { channel })));
}

/** A pulse issue: what happened and what to do. */
function pulseIssueMessage(_kernel: Kernel, e: FaztEvent): SendInput {
  const i = e.data as { key?: string; title?: string; description?: string; recommendation?: string; beatId?: number };
  return {
    id: `pulse:${i.key}:${i.beatId}`,
    title: i.title ?? String(i.key),
    body: [i.description, i.recommendation ? `What to do: ${i.recommendation}` : '', `Issue: ${i.key}`].filter(Boolean).join('\n\n'),
    severity: severityOf(e.data),
  };
}

/** Any other event a rule sends: its type, its title or message, and its data. */
function eventMessage(_kernel: Kernel, e: FaztEvent): SendInput {
  const d = (e.data ?? {}) as Record<string, unknown>;
  const said = [d.title, d.summary, d.message].find((v) => typeof v === 'string') as string | undefined;
  const data = JSON.stringify(e.data ?? null, null, 2);
  return {
    id: `event:${e.id}`,
    title: said ? `${said}` : e.type,
    body: [`Event ${e.type} at ${e.timestamp}`, data.length > 2000 ? data.slice(0, 2000) + '\n…' : data].join('\n\n'),
    severity: severityOf(e.data),
  };
}

/** What the agent did on its own; its questions go out as halts, and doing nothing says nothing. */
function agentDecisionMessage(_kernel: Kernel, e: FaztEvent): SendInput | null {
  const d = e.data as { id?: number; incident?: string; kind?: string; choice?: string; outcome?: string };
  if (d.choice !== 'act' && !String(d.choice).startsWith('would')) return null;
  const what = d.choice === 'act' ? 'The agent acted' : `The agent ${d.choice} (shadow mode)`;
  return {
    id: `agent-decision:${d.id}`,
    title: `${what}: ${d.kind} on ${d.incident}`,
    body: [`Outcome: ${d.outcome ?? 'pending'}`, `Why and what it checks: fazt agent explain ${d.id}`].join('\n'),
    severity: 'info',
  };
}

const MESSAGES: Record<string, (k: Kernel, e: FaztEvent) => SendInput | null | Promise<SendInput | null>> = {
  'system.halt.created': haltCreatedMessage,
  'system.pulse.issue': pulseIssueMessage,
  'system.agent.decision': agentDecisionMessage,
};

/** Sends (or holds for the digest) what the first matching rule says. */
async function routeByRules(kernel: Kernel, rules: NotifyRule[], e: FaztEvent): Promise<unknown> {
  const rule = ruleFor(rules, e.type, severityOf(e.data), matches);
  if (!rule || rule.deliver === 'off') return;
  const message = await (MESSAGES[e.type] ?? eventMessage)(kernel, e);
  if (!message) return;
  return kernel.services.notify.send(message, { channels: rule.channels, deliver: rule.deliver });
}

/**
 * Routes events to channels by the rules (notify.rules.set), and every halt
 * decision to where its question went. `--set notify.route.halts=false` or
 * `notify.route.critical=false` still turn the halt or pulse routes off.
 */
export function routeEvents(kernel: Kernel): () => void {
  const on = (key: string) => kernel.config.extra[`notify.route.${key}`] !== 'false';
  const guard = (name: string, p: () => Promise<unknown> | void) => {
    try {
      void Promise.resolve(p()).catch((err) => warn(name, err));
    } catch (err) {
      warn(name, err);
    }
  };
  const offs = [
    kernel.events.on('*', (e) => {
      if ((!on('halts') && e.type.startsWith('system.halt.')) || (!on('critical') && e.type === 'system.pulse.issue')) return;
      guard(e.type, () => routeByRules(kernel, loadRules(kernel).rules, e));
    }),
    ...(on('halts') ? [kernel.events.on('system.halt.decided', (e) => guard(e.type, () => onHaltDecided(kernel, e)))] : []),
  ];
  return () => offs.forEach((off) => off());
}
