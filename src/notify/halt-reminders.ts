import type { Kernel } from '../kernel/kernel.js';
import { approvalLinks, haltMessageId } from './routing.js';

const HOUR = 3_600_000;

/**
 * Moments a waiting halt is brought up again: half-way to its deadline, and an
 * hour before it (when that is later than half-way), each once.
 */
export function reminderMoments(createdAt: number, expiresAt: number): { key: 'half' | 'hour'; at: number }[] {
  const half = createdAt + (expiresAt - createdAt) / 2;
  const hour = expiresAt - HOUR;
  return [{ key: 'half' as const, at: half }, ...(hour > half ? [{ key: 'hour' as const, at: hour }] : [])];
}

function left(ms: number): string {
  const m = Math.max(1, Math.round(ms / 60_000));
  return m < 120 ? `${m} min` : `${Math.round(m / 60)} h`;
}

/** Reminds the channels a halt went to, for each reminder moment that has come; never twice. */
export async function remindHalts(kernel: Kernel, now: number): Promise<number> {
  const notify = kernel.services.notify;
  let sent = 0;
  for (const halt of kernel.halts.list('pending', 500)) {
    const expires = Date.parse(halt.expiresAt);
    if (expires <= now) continue;
    const channels = notify.outbox.channelsOf(haltMessageId(halt.id));
    if (!channels.length) continue;
    for (const r of reminderMoments(Date.parse(halt.createdAt), expires)) {
      const id = `halt-reminder:${halt.id}:${r.key}`;
      if (r.at > now || notify.outbox.rowsOf(id).length || notify.held.has(id)) continue;
      const actions = (await approvalLinks(kernel, halt.id)).slice(0, 3);
      await notify.send(
        {
          id,
          title: `Reminder: approval needed (${left(expires - now)} left): ${halt.reason}`,
          body: [
            halt.reason,
            '',
            `Deadline: ${halt.expiresAt}, in ${left(expires - now)}. If nobody decides, it is ${halt.defaultDecision === 'proceed' ? 'done anyway' : 'denied'}.`,
            `Approve on the server: fazt halt approve ${halt.id}`,
            `Deny: fazt halt deny ${halt.id}`,
          ].join('\n'),
          severity: 'warning',
          ...(actions.length ? { actions } : {}),
        },
        { channels },
      );
      sent++;
    }
  }
  return sent;
}
