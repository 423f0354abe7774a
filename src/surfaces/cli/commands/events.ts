import { flagString } from '../args.js';
import type { CliCommand } from '../command.js';
import { CliError, makeContext } from '../context.js';
import { printResponse } from '../op-commands.js';
import { followStream } from './logs.js';

/** `--data` is also the global data-dir flag: values that look like JSON are the payload. */
function looksLikeJson(v: string): boolean {
  return /^\s*[[{"]/.test(v);
}

export const eventsEmit: CliCommand = {
  words: ['events', 'emit'],
  summary: 'Emit an event',
  usage: `fazt events emit <type> [--data JSON] [--persist] [--ttl 7d] [--correlation-id ID] [--json]

Emits an event on the bus, e.g. fazt events emit deploy.finished --data '{"version":3}'.
Any namespace but the kernel's (system.*, op.*); data up to 64 KB of JSON.
--data takes a JSON object, array or string (--payload JSON works too; a --data value
that is not JSON is the data directory, as everywhere else).

Options:
  --persist            keep it for 'fazt events list' (until --ttl, default 7d)
  --correlation-id ID  ties related events together`,
  flags: ['payload', 'ttl', 'correlation-id'],
  booleans: ['persist'],
  async run(ctx, positionals) {
    if (positionals.length !== 1) throw new CliError("Give exactly one event type, e.g. 'fazt events emit deploy.finished'.", 2);
    const f = { ...ctx.args.flags };
    const dataValues = [f.data ?? []].flat().filter((v): v is string => typeof v === 'string');
    const payloads = [...dataValues.filter(looksLikeJson), ...[f.payload ?? []].flat().filter((v): v is string => typeof v === 'string')];
    const dirs = dataValues.filter((v) => !looksLikeJson(v));
    if (dirs.length) f.data = dirs[dirs.length - 1];
    else delete f.data;
    if (payloads.length > 1) throw new CliError('Give the event data once.', 2);
    let data: unknown = null;
    if (payloads.length) {
      try {
        data = JSON.parse(payloads[0]);
      } catch (err) {
        throw new CliError(`--data is not valid JSON: ${(err as Error).message}`, 2);
      }
    }
    const input: Record<string, unknown> = { type: positionals[0], data, persist: f.persist === true };
    const ttl = flagString(f, 'ttl');
    if (ttl) input.ttl = ttl;
    const corr = flagString(f, 'correlation-id');
    if (corr) input.correlationId = corr;
    const own = makeContext(ctx.io, { positionals: ctx.args.positionals, flags: f });
    const res = await own.client().callOp('events.emit', input);
    return printResponse(own, res.status, res.body);
  },
};

export const eventsWatch: CliCommand = {
  words: ['events', 'watch'],
  summary: 'Stream events as they happen',
  usage: `fazt events watch [pattern] [--json]

Prints every event matching pattern (default *: everything) as it is emitted, until
Ctrl-C. Patterns use *, e.g. system.app.*, app:shop.*, op.apps.*.
Needs the capability kernel:events:read.`,
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
