import { flagString } from '../args.js';
import type { CliCommand } from '../command.js';
import { CliError, type CliContext } from '../context.js';
import { printResponse } from '../op-commands.js';
import { plural } from '../../../kernel/plural.js';

const MARK: Record<string, string> = { healthy: '●', degraded: '▲', critical: '✖' };
const SEV: Record<string, string> = { info: 'info', warning: 'WARN', critical: 'CRIT' };
const BARS = '▁▂▃▄▅▆▇█';

/** Maps values onto ▁▂▃▄▅▆▇█ between their min and max. */
export function sparkline(values: number[]): string {
  if (!values.length) return '';
  const min = Math.min(...values);
  const max = Math.max(...values);
  return values.map((v) => (max === min ? BARS[3] : BARS[Math.round(((v - min) / (max - min)) * (BARS.length - 1))])).join('');
}

function hoursFlag(ctx: CliContext): number | undefined {
  const h = flagString(ctx.args.flags, 'hours');
  if (h === undefined) return undefined;
  const n = Number(h);
  if (!Number.isInteger(n)) throw new CliError(`--hours must be a whole number of hours (1-720), got '${h}'.`, 2);
  return n;
}

/** Calls the op; on error or with --json prints the generic way and returns the exit code, else the body. */
async function call(ctx: CliContext, op: string, input: Record<string, unknown>): Promise<{ code: number } | { body: any }> {
  const res = await ctx.client().callOp(op, input);
  const b = res.body as { error?: unknown } | null;
  if (ctx.json || res.status >= 400 || b?.error) return { code: printResponse(ctx, res.status, res.body) };
  return { body: res.body };
}

function printIssues(ctx: CliContext, issues: { severity: string; title: string; recommendation: string; key: string }[]): void {
  for (const i of issues) {
    ctx.io.out(`  ${SEV[i.severity] ?? i.severity}  ${i.title}  [${i.key}]`);
    ctx.io.out(`        → ${i.recommendation}`);
  }
}

const COMMON = `
  --json              print the op's JSON output
  --server URL --token T   talk to another fazt server`;

export const pulseStatusCommand: CliCommand = {
  words: ['pulse', 'status'],
  summary: 'How the server is doing: health, summary, open issues',
  usage: `fazt pulse status [--fresh] [--json]

Shows the latest pulse beat: health, a one-line summary and each open issue with
the op that would help. --fresh runs a new beat first.${COMMON}`,
  flags: [],
  booleans: ['fresh'],
  async run(ctx) {
    const r = await call(ctx, 'pulse.status', ctx.args.flags.fresh === true ? { fresh: true } : {});
    if ('code' in r) return r.code;
    const s = r.body;
    ctx.io.out(`${MARK[s.health] ?? '?'} ${s.health.toUpperCase()}  ${s.summary}`);
    ctx.io.out(`  last beat ${s.lastBeatAt} (${s.beatAgeSeconds}s ago, every ${s.intervalSeconds}s)`);
    if (s.issues.length) printIssues(ctx, s.issues);
    for (const p of s.patterns) ctx.io.out(`  · ${p}`);
    for (const p of s.security) ctx.io.out(`  ! ${p}`);
    if (s.failedCollectors.length) ctx.io.out(`  collectors failed: ${s.failedCollectors.join(', ')}`);
    return 0;
  },
};

export const pulseHistoryCommand: CliCommand = {
  words: ['pulse', 'history'],
  summary: 'Past beats: time, health, summary',
  usage: `fazt pulse history [--hours 24] [--limit N] [--json]

Lists the beats of the last N hours (1-720), newest first.${COMMON}`,
  flags: ['hours', 'limit'],
  async run(ctx) {
    const input: Record<string, unknown> = {};
    const hours = hoursFlag(ctx);
    if (hours !== undefined) input.hours = hours;
    const limit = flagString(ctx.args.flags, 'limit');
    if (limit !== undefined) input.limit = Number(limit);
    const r = await call(ctx, 'pulse.history', input);
    if ('code' in r) return r.code;
    const h = r.body;
    if (!h.beats.length) ctx.io.out(`No beats in the last ${h.hours} h. Run 'fazt pulse beat' to take one now.`);
    for (const b of h.beats) ctx.io.out(`${b.at.replace('T', ' ').slice(0, 19)}  ${MARK[b.health]} ${b.health.padEnd(8)}  ${b.summary}`);
    if (h.count > h.beats.length) ctx.io.out(`(${plural(h.count - h.beats.length, 'older beat')} not shown; use --limit)`);
    return 0;
  },
};

export const pulseTrendCommand: CliCommand = {
  words: ['pulse', 'trend'],
  summary: 'One metric over time (--format sparkline)',
  usage: `fazt pulse trend <metric> [--hours 24] [--format sparkline|table|json]

Metric is a path or alias: memory, memory.used, cpu, disk, http.p99, http.requests,
apps.<slug>.requests, apps.<slug>.errors, process.rssMb, storage.totalMb, ...
An unknown metric lists the valid ones.${COMMON}`,
  flags: ['hours', 'format'],
  async run(ctx, positionals) {
    const metric = positionals[0];
    if (!metric || positionals.length > 1) throw new CliError('Usage: fazt pulse trend <metric> [--hours 24] [--format sparkline]', 2);
    const input: Record<string, unknown> = { metric };
    const hours = hoursFlag(ctx);
    if (hours !== undefined) input.hours = hours;
    const r = await call(ctx, 'pulse.trend', input);
    if ('code' in r) return r.code;
    const t = r.body;
    const format = flagString(ctx.args.flags, 'format') ?? 'sparkline';
    if (!t.values.length) {
      ctx.io.out(`${t.path}: no values in the last ${t.hours} h.`);
      return 0;
    }
    if (format === 'table') {
      t.timestamps.forEach((ts: string, i: number) => ctx.io.out(`${ts.replace('T', ' ').slice(0, 19)}  ${t.values[i]}`));
      return 0;
    }
    if (format !== 'sparkline') throw new CliError(`--format must be sparkline, table or json, got '${format}'.`, 2);
    const s = t.stats;
    ctx.io.out(`${t.path}  last ${t.hours} h  (${plural(t.values.length, 'beat')})`);
    ctx.io.out(`  ${sparkline(t.values)}`);
    ctx.io.out(`  min ${s.min}  max ${s.max}  avg ${s.avg}  last ${s.last}`);
    return 0;
  },
};

export const pulseInsightsCommand: CliCommand = {
  words: ['pulse', 'insights'],
  summary: 'What stood out: recurring issues, drifting metrics, busiest apps',
  usage: `fazt pulse insights [--hours 24] [--json]${COMMON}`,
  flags: ['hours'],
  async run(ctx) {
    const hours = hoursFlag(ctx);
    const r = await call(ctx, 'pulse.insights', hours !== undefined ? { hours } : {});
    if ('code' in r) return r.code;
    const x = r.body;
    ctx.io.out(`Last ${x.hours} h: ${plural(x.beats, 'beat')} — ${x.health.healthy} healthy, ${x.health.degraded} degraded, ${x.health.critical} critical.`);
    for (const n of x.notes) ctx.io.out(`  · ${n}`);
    if (x.busiestApps.length) ctx.io.out(`  busiest: ${x.busiestApps.map((a: { slug: string; requests: number }) => `${a.slug} (${a.requests})`).join(', ')}`);
    ctx.io.out(`  a beat costs ${x.cost.avgWallMs} ms wall, ${x.cost.avgCpuMs} ms CPU on average`);
    return 0;
  },
};

export const pulseBeatCommand: CliCommand = {
  words: ['pulse', 'beat'],
  summary: 'Take a pulse beat now',
  usage: `fazt pulse beat [--json]

Collects, analyses and stores a beat now, and shows its verdict and cost.${COMMON}`,
  flags: [],
  async run(ctx) {
    const r = await call(ctx, 'pulse.beat', {});
    if ('code' in r) return r.code;
    const b = r.body;
    ctx.io.out(`${MARK[b.health]} ${b.health.toUpperCase()}  ${b.summary}`);
    printIssues(ctx, b.issues);
    const failed = Object.entries(b.collectors as Record<string, { ok: boolean; error?: string }>).filter(([, c]) => !c.ok);
    for (const [name, c] of failed) ctx.io.out(`  collector ${name} failed: ${c.error}`);
    ctx.io.out(`  beat #${b.id} ${b.stored ? 'stored' : `NOT stored (${b.storeError})`}; cost ${b.cost.wallMs} ms wall, ${b.cost.cpuMs} ms CPU`);
    return 0;
  },
};

export const pulseAskCommand: CliCommand = {
  words: ['pulse', 'ask'],
  summary: 'Ask about server health in plain words',
  usage: `fazt pulse ask "what happened last night?" [--context] [--json]

Answers from the beats, issues and events of the time the question names
("last night", "2 PM", "yesterday", "last hour", "today"); --context also prints
the labelled facts the answer came from. Limited to 1 question a minute by default.${COMMON}`,
  flags: [],
  booleans: ['context'],
  async run(ctx, positionals) {
    const question = positionals.join(' ').trim();
    if (!question) throw new CliError('Usage: fazt pulse ask "<question>"', 2);
    const r = await call(ctx, 'pulse.ask', { question });
    if ('code' in r) return r.code;
    ctx.io.out(r.body.answer);
    if (ctx.args.flags.context === true) ctx.io.out('\n' + r.body.context);
    return 0;
  },
};

export const pulseCommands: CliCommand[] = [pulseStatusCommand, pulseHistoryCommand, pulseTrendCommand, pulseInsightsCommand, pulseBeatCommand, pulseAskCommand];
