import type { Playbook } from './types.js';

export const DELETE_OLD_LOGS = 'Delete logs older than 30 days';

/** Disk filling up: deleting is destructive, so the owner chooses. */
export const diskHigh: Playbook = {
  name: 'disk-high',
  title: 'Disk almost full',
  action: 'escalate with options: logs.cleanup olderThan=30d, expand the disk, or ignore',
  expected: 'Old log lines are deleted and disk use drops under the warning threshold.',
  undo: 'none: deleted log lines are gone (which is why the owner decides)',
  verify: 'The disk issue is gone on the next beat.',
  matches: (i) => i.key.startsWith('disk.usage:'),
  group: (i) => i.key,
  async plan(_ctx, issue) {
    return {
      proposal: {
        source: 'disk-high',
        op: 'logs.cleanup',
        input: { olderThan: '30d' },
        label: DELETE_OLD_LOGS,
        reason: `${issue.title}. ${issue.description} Old logs can be deleted, or the disk expanded.`,
        expected: this.expected,
        verify: this.verify,
        allowListed: false,
        otherOptions: ['Expand disk', 'Ignore'],
      },
    };
  },
  check: (_ctx, _s, beat) => (beat.issues.some((i) => i.key.startsWith('disk.usage:')) ? 'pending' : 'ok'),
};
