import type { FaztEvent } from '../../events/bus.js';
import type { Metrics } from '../collectors/define.js';
import { valueAt } from '../metric-paths.js';
import { severityFor, type Levels } from './hysteresis.js';
import { mean, spikeRatio, zScore } from './stats.js';
import type { Thresholds } from './thresholds.js';
import type { BeatFacts, Issue, PastBeat, Severity } from './types.js';
import { aiSpendRule } from './ai-spend-rule.js';
import { plural } from '../../kernel/plural.js';

export interface RuleContext {
  beat: BeatFacts;
  history: PastBeat[];
  events: FaztEvent[];
  t: Thresholds;
  /** Severity an issue key had in the previous beat (for hysteresis). */
  previous(key: string): Severity | undefined;
  patterns: string[];
  security: string[];
}

export type Rule = (ctx: RuleContext) => Issue[];

const fmt = (n: number, digits = 1) => String(Math.round(n * 10 ** digits) / 10 ** digits);

function issue(kind: string, subject: string, severity: Severity, fields: Omit<Issue, 'key' | 'severity' | 'subject'>): Issue {
  return { key: `${kind}:${subject}`, severity, subject, ...fields };
}

/** Checks one metric against levels with hysteresis and builds the issue when it is out of bounds. */
function levelIssue(
  ctx: RuleContext,
  kind: string,
  subject: string,
  metric: string,
  value: number | null,
  levels: Levels,
  text: (sev: Severity, v: number) => Omit<Issue, 'key' | 'severity' | 'subject' | 'metric' | 'value'>,
  as?: Severity,
): Issue[] {
  const key = `${kind}:${subject}`;
  const sev = severityFor(value, levels, ctx.previous(key), ctx.t.clearRatio);
  if (!sev || value === null) return [];
  const severity = as && sev === 'warning' ? as : sev;
  return [issue(kind, subject, severity, { metric, value, ...text(severity, value) })];
}

const num = (m: Metrics, p: string) => valueAt(m, p);

export const memoryRule: Rule = (ctx) =>
  levelIssue(ctx, 'memory.usage', 'host', 'host.memory.percent', num(ctx.beat.metrics, 'host.memory.percent'),
    { warning: ctx.t.memoryWarningPercent, critical: ctx.t.memoryCriticalPercent }, (sev, v) => ({
      title: `Memory ${fmt(v)} % used`,
      description: `The host has ${fmt(v)} % of its memory in use (${sev} at ${sev === 'critical' ? ctx.t.memoryCriticalPercent : ctx.t.memoryWarningPercent} %).`,
      recommendation: 'Find the heaviest apps with pulse.trend (apps.<slug>.requests) and stop or limit them; restart fazt if its own RSS (process.rssMb) keeps growing.',
    }));

export const diskRule: Rule = (ctx) => {
  const path = String((ctx.beat.metrics.host as Metrics | undefined)?.disk && ((ctx.beat.metrics.host as Metrics).disk as Metrics).path || 'data');
  return levelIssue(ctx, 'disk.usage', path, 'host.disk.percent', num(ctx.beat.metrics, 'host.disk.percent'),
    { warning: ctx.t.diskWarningPercent, critical: ctx.t.diskCriticalPercent }, (sev, v) => ({
      title: `Disk ${fmt(v)} % full`,
      description: `The volume holding ${path} is ${fmt(v)} % full (${num(ctx.beat.metrics, 'host.disk.freeGb') ?? '?'} GB free).`,
      recommendation: 'Free space: trim old logs with logs.cleanup, remove unused apps with apps.delete, then check storage.totalMb with pulse.trend.',
    }));
};

export const cpuRule: Rule = (ctx) =>
  levelIssue(ctx, 'cpu.usage', 'process', 'process.cpuPercent', num(ctx.beat.metrics, 'process.cpuPercent'),
    { warning: ctx.t.cpuWarningPercent }, (_s, v) => ({
      title: `fazt used ${fmt(v)} % CPU`,
      description: `The fazt process used ${fmt(v)} % of a core since the last beat.`,
      recommendation: 'See which apps are busiest with pulse.status and pulse.trend (http.requests); slow app code shows up as latency (http.p99).',
    }));

export const eventLoopRule: Rule = (ctx) =>
  levelIssue(ctx, 'eventloop.delay', 'process', 'process.eventLoopP99Ms', num(ctx.beat.metrics, 'process.eventLoopP99Ms'),
    { warning: ctx.t.eventLoopP99WarningMs }, (_s, v) => ({
      title: `Event loop delayed ${fmt(v, 0)} ms (p99)`,
      description: `Requests waited up to ${fmt(v, 0)} ms for the event loop; something is blocking the process.`,
      recommendation: 'Look for large deploys, log queries or busy apps at that time (pulse.ask "what happened at <time>?").',
    }));

export const dbSizeRule: Rule = (ctx) =>
  levelIssue(ctx, 'storage.size', 'data.db', 'storage.totalMb', num(ctx.beat.metrics, 'storage.totalMb'),
    { warning: ctx.t.dbSizeWarningMb }, (_s, v) => ({
      title: `data.db is ${fmt(v, 0)} MB`,
      description: `The database and its WAL take ${fmt(v, 0)} MB (logs: ${num(ctx.beat.metrics, 'storage.logsRows') ?? 0} rows, events: ${num(ctx.beat.metrics, 'storage.eventsRows') ?? 0} rows).`,
      recommendation: 'Trim old logs and events with logs.cleanup; a smaller retention keeps it bounded.',
    }));

/**
 * Error rate per app and in total over recent requests (the last 15 min or the
 * last 100 requests, whichever is larger), so a failing app that gets no more
 * traffic keeps its issue until it serves successfully again; p99 per beat.
 */
export const httpRules: Rule = (ctx) => {
  const out: Issue[] = [];
  const http = ctx.beat.metrics.http as Metrics | undefined;
  if (!http) return out;
  const deployed = recentDeploys(ctx.events);
  const check = (subject: string, base: string, kindPrefix: string) => {
    const requests = num(ctx.beat.metrics, `${base}.requests`) ?? 0;
    const errKey = `${kindPrefix}.errors:${subject}`;
    const latKey = `${kindPrefix}.latency:${subject}`;
    // Beats stored before the recent window existed have only the per-beat numbers.
    const recent = valueAt(ctx.beat.metrics, `${base}.recent.requests`) !== null;
    const judged = recent ? (num(ctx.beat.metrics, `${base}.recent.requests`) ?? 0) : requests;
    const rateMetric = recent ? `${base}.recent.errorRate` : `${base}.errorRate`;
    const failed = num(ctx.beat.metrics, recent ? `${base}.recent.errors5xx` : `${base}.errors5xx`);
    const basis = recent ? recentBasis(ctx.beat.metrics, base) : '';
    const appHint = kindPrefix === 'app' ? ` ${deployed.has(subject) ? `It was deployed recently: roll back with deploy.rollback ${subject}, or` : 'Read'} its logs (logs.query app=${subject}).` : ' See which app fails with pulse.status.';
    const keep = (key: string) => {
      // Below the minimum request count an existing issue is kept as it was rather than flapping away.
      if (requests > 0) out.push(...kept(ctx, key, 'too few requests this beat to re-measure'));
    };
    if (judged >= ctx.t.minRequests) {
      out.push(...levelIssue(ctx, `${kindPrefix}.errors`, subject, rateMetric, num(ctx.beat.metrics, rateMetric),
        { warning: ctx.t.errorRateWarningPercent, critical: ctx.t.errorRateCriticalPercent }, (_s, v) => ({
          title: `${subject === 'all' ? 'Server' : subject} errors at ${fmt(v)} %`,
          description: recent
            ? `${failed} of ${basis.endsWith('min') ? `${judged} requests in the ${basis}` : `the last ${judged} requests`} failed with 5xx${requests === 0 ? '; none arrived since the last beat' : ''}.`
            : `${failed} of ${plural(requests, 'request')} failed with 5xx since the last beat.`,
          recommendation: `Find the failing requests.${appHint}`,
        })));
    } else keep(errKey);
    if (requests >= ctx.t.minRequests) {
      out.push(...levelIssue(ctx, `${kindPrefix}.latency`, subject, `${base}.p99`, num(ctx.beat.metrics, `${base}.p99`),
        { warning: ctx.t.p99WarningMs }, (_s, v) => ({
          title: `${subject === 'all' ? 'Server' : subject} p99 latency ${fmt(v, 0)} ms`,
          description: `The slowest 1 % of ${plural(requests, 'request')} took ${fmt(v, 0)} ms or more.`,
          recommendation: `Check slow endpoints in the access logs (logs.query) and the trend with pulse.trend ${base}.p99.`,
        })));
    } else keep(latKey);
  };
  check('all', 'http', 'http');
  // Hosts with no app are not judged as apps: a deleted app's 404s are nobody failing.
  for (const [slug, a] of Object.entries((http.bySlug as Record<string, Metrics> | undefined) ?? {})) {
    if (a.noApp !== true) check(slug, `http.bySlug.${slug}`, 'app');
  }
  return out;
};

function recentBasis(m: Metrics, base: string): string {
  let cur: unknown = m;
  for (const part of `${base}.recent.basis`.split('.')) cur = (cur as Record<string, unknown> | undefined)?.[part];
  return typeof cur === 'string' ? cur : '';
}

/** The previous beat's issue under `key`, carried over unchanged but for a note on why. */
function kept(ctx: RuleContext, key: string, why: string): Issue[] {
  const prev = ctx.history.at(-1)?.issues.find((i) => i.key === key);
  if (!prev) return [];
  const note = ` (${why})`;
  return [{ ...prev, description: prev.description.endsWith(note) ? prev.description : `${prev.description}${note}` }];
}

/** Sandbox errors and limit hits reported by the runtime; an app that has had no requests since keeps them. */
export const sandboxRule: Rule = (ctx) => {
  const out: Issue[] = [];
  const bySlug = ((ctx.beat.metrics.apps as Metrics | undefined)?.bySlug ?? {}) as Record<string, Metrics>;
  for (const [slug, a] of Object.entries(bySlug)) {
    const limits = typeof a.limitHits === 'number' ? a.limitHits : 0;
    const errs = typeof a.sandboxErrors === 'number' ? a.sandboxErrors : 0;
    if (a.requests === 0) {
      if (limits === 0) out.push(...kept(ctx, `app.limits:${slug}`, 'no requests since'));
      if (errs === 0) out.push(...kept(ctx, `app.sandbox:${slug}`, 'no requests since'));
    }
    if (limits > 0) {
      out.push(issue('app.limits', slug, limits >= ctx.t.minRequests ? 'warning' : 'info', {
        title: `${slug} hit sandbox limits ${limits} time(s)`,
        description: `Requests to ${slug} ran out of time or memory ${limits} time(s) since the last beat.`,
        recommendation: `Read the failing requests in its logs (logs.query app=${slug}); if a deploy caused it, deploy.rollback ${slug}.`,
        metric: `apps.bySlug.${slug}.limitHits`, value: limits,
      }));
    }
    if (errs > 0) {
      out.push(issue('app.sandbox', slug, errs >= ctx.t.minRequests ? 'warning' : 'info', {
        title: `${slug} threw ${errs} error(s)`,
        description: `The API code of ${slug} threw ${errs} uncaught error(s) since the last beat.`,
        recommendation: `Read the stack traces in its logs (logs.query app=${slug} level=error); roll back with deploy.rollback ${slug} if the last deploy caused them.`,
        metric: `apps.bySlug.${slug}.sandboxErrors`, value: errs,
      }));
    }
  }
  return out;
};

export const safetyRules: Rule = (ctx) => {
  const out: Issue[] = [];
  const pending = num(ctx.beat.metrics, 'safety.pendingHalts') ?? 0;
  const age = num(ctx.beat.metrics, 'safety.oldestHaltHours') ?? 0;
  if (pending > 0) {
    out.push(...levelIssue(ctx, 'halts.stale', 'pending', 'safety.oldestHaltHours', age, { warning: ctx.t.haltStaleHours }, (_s, v) => ({
      title: `${pending} call(s) waiting for approval`,
      description: `The oldest pending halt has waited ${fmt(v)} h; it is denied automatically when it expires.`,
      recommendation: 'Review them with halt.list and decide with halt.approve or halt.deny (a person must do this).',
    })));
  }
  const denied = num(ctx.beat.metrics, 'safety.deniedCalls') ?? 0;
  if (denied > 0) ctx.security.push(`${denied} call(s) refused for missing capabilities since the last beat.`);
  out.push(...levelIssue(ctx, 'auth.denied', 'api', 'safety.deniedCalls', denied, { warning: ctx.t.deniedCallsWarning }, (_s, v) => ({
    title: `${fmt(v, 0)} refused calls`,
    description: `${fmt(v, 0)} calls were refused for missing capabilities since the last beat: a misconfigured client or someone probing.`,
    recommendation: 'See who with audit.query outcome=denied, and revoke unknown tokens with tokens.revoke.',
  })));
  out.push(...authFailureIssues(ctx));
  return out;
};

/** Missing, unknown, expired or revoked tokens: someone guessing, or a client with a stale token. */
function authFailureIssues(ctx: RuleContext): Issue[] {
  const failed = num(ctx.beat.metrics, 'safety.authFailures') ?? 0;
  const sources = ((ctx.beat.metrics.safety as Metrics | undefined)?.authFailureSources ?? []) as { ip: string; count: number }[];
  const from = sources.map((s) => `${s.ip} (${s.count})`).join(', ');
  if (failed > 0) ctx.security.push(`${failed} failed authentication(s) since the last beat${from ? `, from ${from}` : ''}.`);
  return levelIssue(ctx, 'auth.failed', 'api', 'safety.authFailures', failed, { warning: ctx.t.authFailuresWarning }, (_s, v) => ({
    title: `${fmt(v, 0)} failed authentications`,
    description: `${fmt(v, 0)} failed authentications (missing, unknown, expired or revoked tokens) since the last beat${from ? `, most from ${from}` : ''}: someone guessing tokens, or a client with a stale one.`,
    recommendation: 'See the attempts with audit.query outcome=unauthenticated (reason and address in each row); block the addresses upstream, or give the client a new token with tokens.create.',
  }));
}

export const certRule: Rule = (ctx) => {
  const certs = ((ctx.beat.metrics.certs as Metrics | undefined)?.certs ?? []) as { domain: string; daysLeft: number }[];
  return certs.flatMap((c) =>
    levelIssue(ctx, 'cert.expiry', c.domain, 'certs.minDaysLeft', c.daysLeft,
      { warning: ctx.t.certWarningDays, critical: ctx.t.certCriticalDays, direction: 'below' }, (_s, v) => ({
        title: `Certificate for ${c.domain} expires in ${fmt(v, 0)} days`,
        description: `The TLS certificate for ${c.domain} expires in ${fmt(v)} days.`,
        recommendation: `Renew it with ssl.renew ${c.domain}.`,
      })),
  );
};

/** Traffic spike against the recent average, and error/latency anomalies by z-score. */
export const statisticsRule: Rule = (ctx) => {
  const out: Issue[] = [];
  const recent = ctx.history.slice(-12);
  const series = (p: string) => recent.map((b) => valueAt(b.metrics, p)).filter((v): v is number => v !== null);
  const rpm = num(ctx.beat.metrics, 'http.perMinute');
  const requests = num(ctx.beat.metrics, 'http.requests') ?? 0;
  if (rpm !== null) {
    const ratio = spikeRatio(rpm, series('http.perMinute'), 3, 0.01);
    if (ratio !== null && requests >= ctx.t.minRequests) {
      out.push(...levelIssue(ctx, 'traffic.spike', 'all', 'http.perMinute', ratio, { warning: ctx.t.spikeFactor }, (_s, v) => ({
        title: `Traffic ${fmt(v)}× the recent average`,
        description: `${fmt(rpm)} requests/min against ${fmt(mean(series('http.perMinute')))} on average over the last ${plural(recent.length, 'beat')}.`,
        recommendation: 'See which app gets it with pulse.status; if it is abuse, stop the app with apps.stop or block at the proxy.',
      }), 'info').map((i) => ({ ...i, value: rpm })));
      if (ratio >= ctx.t.spikeFactor) ctx.patterns.push(`Traffic is ${fmt(ratio)}× the recent average.`);
    }
  }
  if (requests >= ctx.t.minRequests) {
    for (const [kind, path, minStd] of [['errors.anomaly', 'http.errorRate', 1], ['latency.anomaly', 'http.p99', 5]] as const) {
      const v = num(ctx.beat.metrics, path);
      if (v === null) continue;
      const z = zScore(v, series(path), minStd);
      if (z === null) continue;
      out.push(...levelIssue(ctx, kind, 'all', path, z, { warning: ctx.t.zScore }, () => ({
        title: `${kind === 'errors.anomaly' ? 'Error rate' : 'p99 latency'} unusually high`,
        description: `${path} is ${fmt(v)} — ${fmt(z)} standard deviations above its recent mean of ${fmt(mean(series(path)))}.`,
        recommendation: 'Compare with recent deploys (pulse.ask "what changed in the last hour?") and roll back with deploy.rollback if one caused it.',
      })).map((i) => ({ ...i, value: v })));
    }
  }
  return out;
};

/** Apps deployed in the recent events window. */
function recentDeploys(events: FaztEvent[]): Set<string> {
  const s = new Set<string>();
  for (const e of events) {
    if (e.type !== 'system.app.deployed') continue;
    const d = (e.data ?? {}) as { slug?: string; app?: string };
    if (d.slug ?? d.app) s.add(String(d.slug ?? d.app));
  }
  return s;
}

export const defaultRules: Rule[] = [memoryRule, diskRule, cpuRule, eventLoopRule, dbSizeRule, httpRules, sandboxRule, safetyRules, certRule, statisticsRule, aiSpendRule];
