import { flagString } from '../args.js';
import type { CliCommand } from '../command.js';
import { CliError } from '../context.js';
import { printResponse } from '../op-commands.js';
import { followStream } from './logs.js';

/** A --data value that is JSON was meant as the event's data, which is --payload now. */
function looksLikeJson(v: string): boolean {
  return /^\s*[[{"]/.test(v);
}

export const eventsEmit: CliCommand = {
  words: ['events', 'emit'],
  summary: 'Emit an event',
  usage: `fazt events emit <type> [--payload JSON] [--persist] [--ttl 7d] [--correlation-id ID] [--json]

Emits an event on the bus, e.g. fazt events emit deploy.finished --payload '{"version":3}'.
Any namespace but the kernel's (system.*, op.*); data up to 64 KB of JSON.

Options:
  --payload JSON       the event's data: a JSON object, array, string, number…
  --persist            keep it for 'fazt events list' (until --ttl, default 7d)
  --ttl 7d             how long a persisted event is kept
  --correlation-id ID  ties related events together
  --data DIR           the data directory, as for every command`,
  flags: ['payload', 'ttl', 'correlation-id'],
  booleans: ['persist'],
  async run(ctx, positionals) {
    if (positionals.length !== 1) throw new CliError("Give exactly one event type, e.g. 'fazt events emit deploy.finished'.", 2);
    const f = ctx.args.flags;
    if ([f.data ?? []].flat().some((v) => typeof v === 'string' && looksLikeJson(v))) {
      throw new CliError("--data is the data directory; give the event's data with --payload JSON, e.g. --payload '{\"version\":3}'.", 2);
    }
    const payloads = [f.payload ?? []].flat();
    if (payloads.length > 1) throw new CliError('Give --payload once.', 2);
    let data: unknown = null;
    if (typeof payloads[0] === 'string') {
      try {
        data = JSON.parse(payloads[0]);
      } catch (err) {
        throw new CliError(`--payload is not valid JSON: ${(err as Error).message}`, 2);
      }
    } else if (payloads[0] === true) {
      throw new CliError('--payload needs a JSON value.', 2);
    }
    const input: Record<string, unknown> = { type: positionals[0], data, persist: f.persist === true };
    const ttl = flagString(f, 'ttl');
    if (ttl) input.ttl = ttl;
    const corr = flagString(f, 'correlation-id');
    if (corr) input.correlationId = corr;
    const res = await ctx.client().callOp('events.emit', input);
    return printResponse(ctx, res.status, res.body);
  },
};

export const eventsWatch: CliCommand = {
  words: ['events', 'watch'],
  summary: 'Stream events as they happen',
  usage: `fazt events watch [pattern] [--json]

Prints every event matching pattern (default *: everything) as it is emitted, until
Ctrl-C. Patterns use *, which matches any run of characters: system.app.*, app:*,
app:shop.*, op.apps.*. Needs the capability kernel:events:read.`,
  flags: [],
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
