import type { FaztEvent } from '../events/bus.js';
import type { Kernel } from '../kernel/kernel.js';
import type { MessageAction } from './channels/types.js';

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
async function approvalLinks(kernel: Kernel, haltId: string): Promise<MessageAction[]> {
  const approvals = (kernel.services as { approvals?: ApprovalLinks }).approvals;
  try {
    return (await approvals?.linksFor(haltId)) ?? [];
  } catch (err) {
    // The question still goes out without links: the CLI command is in the body.
    warn('approval links', err);
    return [];
  }
}

/** A halt waiting for the owner: every channel, with how to approve it. */
async function onHaltCreated(kernel: Kernel, e: FaztEvent): Promise<unknown> {
  const id = String((e.data as { id?: string }).id ?? '');
  const halt = kernel.halts.get(id);
  if (!halt) return;
  const actions = (await approvalLinks(kernel, id)).slice(0, 3);
  return kernel.services.notify.send({
    id: haltMessageId(id),
    title: `Approval needed: ${halt.reason}`,
    body: [
      halt.reason,
      '',
      `Caller: ${halt.caller.name} (${halt.caller.kind}, via ${halt.surface})`,
      `Operation: ${halt.op}`,
      `Deadline: ${halt.expiresAt} (denied if nobody decides)`,
      '',
      `Approve on the server: fazt halt approve ${id}`,
      `Deny: fazt halt deny ${id}`,
    ].join('\n'),
    severity: 'warning',
    ...(actions.length ? { actions } : {}),
  });
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

/** Only a pulse issue that turned critical is sent now; warnings wait for a digest. */
function onPulseIssue(kernel: Kernel, e: FaztEvent): Promise<unknown> | void {
  const i = e.data as { key?: string; severity?: string; title?: string; description?: string; recommendation?: string; beatId?: number };
  if (i.severity !== 'critical') return;
  return kernel.services.notify.send({
    id: `pulse:${i.key}:${i.beatId}`,
    title: i.title ?? String(i.key),
    body: [i.description, i.recommendation ? `What to do: ${i.recommendation}` : '', `Issue: ${i.key}`].filter(Boolean).join('\n\n'),
    severity: 'critical',
  });
}

/** Subscribes the default routes; returns the unsubscribe. */
export function routeEvents(kernel: Kernel): () => void {
  const route = (name: string, fn: (k: Kernel, e: FaztEvent) => Promise<unknown> | void) =>
    kernel.events.on(name, (e) => {
      try {
        void Promise.resolve(fn(kernel, e)).catch((err) => warn(name, err));
      } catch (err) {
        warn(name, err);
      }
    });
  // Both default on; `--set notify.route.halts=false` or `notify.route.critical=false` turns one off.
  const on = (key: string) => kernel.config.extra[`notify.route.${key}`] !== 'false';
  const offs = [
    ...(on('halts') ? [route('system.halt.created', onHaltCreated), route('system.halt.decided', onHaltDecided)] : []),
    ...(on('critical') ? [route('system.pulse.issue', onPulseIssue)] : []),
  ];
  return () => offs.forEach((off) => off());
}
