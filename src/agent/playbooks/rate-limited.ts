import type { Playbook } from './types.js';

/** How long the agent leaves a rate-limited model provider alone. */
export const BACKOFF_MS = 15 * 60_000;

/** A model provider answering 429: stop asking it for a while. */
export const rateLimited: Playbook = {
  name: 'provider-rate-limited',
  title: 'Model provider rate-limited',
  action: 'back off: no model proposals for 15 minutes',
  expected: 'The provider recovers; playbooks keep working meanwhile.',
  undo: 'none needed: model proposals resume by themselves',
  verify: 'The next model call succeeds.',
  matches: (i) => /^(ai|provider)\.rate-?limited:/i.test(i.key),
  group: (i) => i.key,
  async plan(ctx) {
    return {
      internal: {
        description: 'Stop asking the model for 15 minutes',
        run: () => {
          ctx.kernel.services.agent.backOffModel(BACKOFF_MS);
          return `model proposals paused until ${new Date(Date.now() + BACKOFF_MS).toISOString()}`;
        },
      },
    };
  },
  check: () => 'ok',
};
