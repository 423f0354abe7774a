import { readSse } from '../../../events/sse-client.js';
import { flagString } from '../args.js';
import type { CliCommand } from '../command.js';
import { CliError, type CliContext } from '../context.js';
import { printResponse } from '../op-commands.js';

type Line = Record<string, unknown>;

/** One line as a person reads it: time, level, app, message, fields (or the request for access lines). */
export function formatLine(l: Line): string {
  if (typeof l.level === 'string') {
    const fields = l.fields && typeof l.fields === 'object' ? '  ' + JSON.stringify(l.fields) : '';
    // In full: ids share a per-process prefix and differ only in the counter after it.
    const req = l.requestId ? `  req=${String(l.requestId)}` : '';
    return `${l.at}  ${l.level.toUpperCase().padEnd(5)}  ${l.app ?? l.appId ?? '-'}  ${l.message}${fields}${req}`;
  }
  return `${l.at}  ${l.status} ${String(l.method).padEnd(6)} ${l.path}  ${Math.round(Number(l.durationMs) * 100) / 100}ms ${l.bytes}B  ${l.slug} (${l.kind})${Number(l.hits) > 1 ? `  ×${l.hits}` : ''}`;
}

export const logsCommand: CliCommand = {
  words: ['logs'],
  summary: "Show an app's logs (-f to follow)",
  usage: `fazt logs [app] [-f] [--level debug|info|warn|error] [--since 1h] [--until ISO] [--grep text] [--limit N] [--access] [--json]

Shows log lines, oldest first (the newest --limit, default 100; with -f the last 20,
then every new line until Ctrl-C). Without an app, every app's lines.

Options:
  -f, --follow     keep streaming new lines (server-sent events from /api/stream/logs)
  --level L        that level and above (access logs: warn = status >= 400, error = >= 500)
  --since T        30m, 1h, 7d or an ISO time
  --grep TEXT      lines whose message (or request path) contains TEXT
  --access         served requests instead of app log lines
  --json           one JSON object per line`,
  flags: ['level', 'since', 'until', 'grep', 'limit'],
  booleans: ['follow', 'access'],
  async run(ctx, positionals) {
    if (positionals.length > 1) throw new CliError(`Too many arguments: ${positionals.slice(1).join(' ')}. See 'fazt logs --help'.`, 2);
    const f = ctx.args.flags;
    const filters: Record<string, string> = {};
    if (positionals[0]) filters.app = positionals[0];
    for (const k of ['level', 'since', 'until', 'grep']) {
      const v = flagString(f, k);
      if (v !== undefined) filters[k] = v;
    }
    if (f.access === true) filters.kind = 'access';
    const limitText = flagString(f, 'limit');
    const limit = limitText === undefined ? undefined : Number(limitText);
    if (limit !== undefined && (!Number.isInteger(limit) || limit < 1)) throw new CliError(`--limit must be a positive whole number, got '${limitText}'.`, 2);
    const print = (l: Line) => ctx.io.out(ctx.json ? JSON.stringify(l) : formatLine(l));

    if (f.follow === true) {
      const q = new URLSearchParams({ ...filters, tail: String(limit ?? 20) });
      return followStream(ctx, `/api/stream/logs?${q}`, `Following ${filters.app ? `logs of ${filters.app}` : 'all logs'}`, (d) => print(d as Line));
    }
    const res = await ctx.client().callOp('logs.query', { ...filters, ...(limit ? { limit } : {}) });
    if (res.status !== 200) return printResponse(ctx, res.status, res.body);
    const entries = ((res.body as { entries?: Line[] }).entries ?? []).slice().reverse();
    if (!entries.length && !ctx.json) ctx.io.err('(no log lines)');
    for (const l of entries) print(l);
    return 0;
  },
};

/**
 * Opens a server-sent event stream and prints each item until the server ends it
 * or the person presses Ctrl-C (exit 0).
 */
export async function followStream(ctx: CliContext, path: string, label: string, onData: (d: unknown) => void): Promise<number> {
  const ac = new AbortController();
  const stop = () => ac.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    let res: Response;
    try {
      res = await ctx.client().stream(path, ac.signal);
    } catch (err) {
      if (ac.signal.aborted) return 0;
      throw new Error(`Cannot reach the fazt server at ${ctx.client().url} (${(err as Error).message}).`);
    }
    if (res.status !== 200) {
      const text = await res.text();
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {
        /* not JSON */
      }
      return printResponse(ctx, res.status, body);
    }
    ctx.io.err(`${label} (Ctrl-C to stop)…`);
    await readSse(res, onData);
    return 0;
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
}
