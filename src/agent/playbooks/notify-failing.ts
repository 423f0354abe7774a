import { saveConfig } from '../config.js';
import type { Playbook } from './types.js';

/** A channel that keeps failing: send the agent's reports elsewhere and say so there. */
export const notifyFailing: Playbook = {
  name: 'notify-failing',
  title: 'Notification channel failing',
  action: "switch the agent's reports to the other channels and tell the owner there",
  expected: 'The owner keeps hearing from fazt while the channel is broken.',
  undo: "agent.configure channels=[...] puts the channel back",
  verify: 'The message about the switch was delivered on another channel.',
  matches: (i) => i.key.startsWith('notify.failing:'),
  group: (i) => i.key,
  async plan(ctx, issue) {
    const failing = issue.subject;
    const notify = ctx.kernel.services.notify;
    const others = (notify?.channels.names() ?? []).filter((c) => c !== failing);
    if (!others.length) return { diagnosis: { reason: `The channel '${failing}' is failing and there is no other channel to switch to`, details: [issue.description, 'Add another channel with notify.channels.add.'] } };
    return {
      internal: {
        description: `Send the agent's reports to ${others.join(', ')} instead of ${failing}, and tell the owner there`,
        run: async () => {
          const current = ctx.config.channels.length ? ctx.config.channels : [...others, failing];
          ctx.config.channels = current.filter((c) => c !== failing);
          if (!ctx.config.channels.length) ctx.config.channels = others;
          saveConfig(ctx.kernel, ctx.config);
          const sent = await Promise.all(ctx.config.channels.map((channel) => notify.send({
            title: `Notifications to '${failing}' are failing`,
            body: `${issue.description}\n\nI now send my reports to ${ctx.config.channels.join(', ')}. Fix the channel, then put it back with: fazt agent configure --input '{"channels": [...]}'`,
            severity: 'warning',
          }, { channel })));
          return `switched to ${ctx.config.channels.join(', ')}; told the owner (${sent.flatMap((s) => s.deliveries.map((d) => `${d.channel}: ${d.status}`)).join(', ')})`;
        },
      },
    };
  },
  check: () => 'ok',
};
