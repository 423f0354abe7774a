import type { CliCommand } from '../command.js';
import { CliError } from '../context.js';
import { followStream } from './logs.js';

export const eventsWatch: CliCommand = {
  words: ['events', 'watch'],
  summary: 'Stream events as they happen',
  usage: `fazt events watch [pattern] [--json]

Prints every event matching pattern (default *: everything) as it is emitted, until
Ctrl-C. Patterns use *, e.g. system.app.*, app:shop.*, op.apps.*.
Needs the capability kernel:events:read.`,
  async run(ctx, positionals) {
    if (positionals.length > 1) throw new CliError(`Too many arguments: ${positionals.slice(1).join(' ')}. See 'fazt events watch --help'.`, 2);
    const pattern = positionals[0] ?? '*';
    const q = new URLSearchParams({ pattern });
    return followStream(ctx, `/api/stream/events?${q}`, `Watching ${pattern}`, (d) => {
      const e = d as { timestamp: string; type: string; source: string; data: unknown; correlationId?: string };
      ctx.io.out(
        ctx.json
          ? JSON.stringify(e)
          : `${e.timestamp}  ${e.type}  ${e.source}  ${JSON.stringify(e.data)}${e.correlationId ? `  corr=${e.correlationId}` : ''}`,
      );
    });
  },
};
