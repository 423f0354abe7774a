import type { ApprovalLinks } from '../../notify/routing.js';
import type { Playbook } from './types.js';

/** Calls waiting too long for the owner: remind them, with the approval links. */
export const staleHalt: Playbook = {
  name: 'stale-halt',
  title: 'Stale halt',
  action: 'notify.send a reminder of the oldest pending halt',
  expected: 'The owner sees the waiting call again and decides it.',
  undo: 'none needed: a reminder changes nothing',
  verify: 'The reminder was sent.',
  matches: (i) => i.key.startsWith('halts.stale:'),
  group: (i) => i.key,
  async plan(ctx, issue) {
    const oldest = ctx.kernel.halts.list('pending', 500).at(-1);
    if (!oldest) return null;
    const approvals = (ctx.kernel.services as { approvals?: ApprovalLinks }).approvals;
    const links = ((await approvals?.linksFor(oldest.id)) ?? []).filter((l) => l.label.length <= 40).slice(0, 3);
    return {
      proposal: {
        source: 'stale-halt',
        op: 'notify.send',
        input: {
          title: `Reminder: ${oldest.reason}`.slice(0, 200),
          body: `${issue.description}\n\nWaiting since ${oldest.createdAt}: ${oldest.reason}\nApprove: fazt halt approve ${oldest.id}\nDeny: fazt halt deny ${oldest.id}`,
          severity: 'warning',
          ...(links.length ? { actions: links.map((l) => ({ label: l.label, url: l.url })) } : {}),
        },
        label: `Remind the owner of halt ${oldest.id}`,
        reason: issue.title,
        expected: this.expected,
        verify: this.verify,
        allowListed: true,
      },
    };
  },
  check: () => 'ok',
};
