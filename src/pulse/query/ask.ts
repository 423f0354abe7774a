import type { FaztEvent } from '../../events/bus.js';
import type { Beat } from '../beat-store.js';
import { SEVERITY_RANK, type Issue } from '../analysis/types.js';
import { valueAt } from '../metric-paths.js';
import { statsOf } from './series.js';
import type { TimeWindow } from './time-window.js';
import type { MetricMention } from './words.js';
import { plural } from '../../kernel/plural.js';

export interface AskInput {
  question: string;
  window: TimeWindow;
  /** True when the question named no time and the default window is used. */
  defaultWindow: boolean;
  beats: Beat[];
  events: FaztEvent[];
  apps: string[];
  metrics: MetricMention[];
  latest: Beat | undefined;
}

export interface AskAnswer {
  answer: string;
  context: string;
  issues: { key: string; severity: string; title: string; beats: number; recommendation: string }[];
  metrics: { path: string; label: string; min: number; max: number; avg: number; last: number }[];
  apps: { slug: string; requests: number; errors: number; maxP99: number; sandboxErrors: number; limitHits: number }[];
  events: { at: string; type: string; summary: string }[];
}

const DEFAULT_METRICS: MetricMention[] = [
  { path: 'host.memory.percent', label: 'memory %' },
  { path: 'http.requests', label: 'requests' },
  { path: 'http.p99', label: 'p99 ms' },
  { path: 'http.errorRate', label: 'error rate %' },
];

const time = (ms: number | string) => new Date(ms).toISOString().replace('T', ' ').slice(0, 16) + 'Z';

/**
 * Answers a question from beats, issues and events without a model: picks what is
 * relevant, computes a short rule-based answer and returns a labelled context a
 * client's own model can reason over.
 */
export function answer(input: AskInput): AskAnswer {
  const { beats, window: w } = input;
  const issues = worstIssues(beats);
  const metricList = (input.metrics.length ? input.metrics : DEFAULT_METRICS).flatMap((m) => {
    const s = statsOf(beats.map((b) => valueAt(b.metrics, m.path)).filter((v): v is number => v !== null));
    return s ? [{ path: m.path, label: m.label, ...s }] : [];
  });
  const apps = input.apps.map((slug) => appFacts(slug, beats));
  const events = input.events.slice(0, 30).map((e) => ({ at: e.timestamp, type: e.type, summary: eventSummary(e) }));

  const health = { healthy: 0, degraded: 0, critical: 0 };
  for (const b of beats) health[b.health]++;

  const lines: string[] = [];
  const span = `${w.label} (${time(w.fromMs)} – ${time(w.toMs)})`;
  if (!beats.length) {
    lines.push(`No beats were recorded ${w.label === 'now' ? 'in the last hour' : `for ${span}`}.`);
    if (input.latest) lines.push(`Latest beat (${time(input.latest.at)}): ${input.latest.summary}`);
  } else {
    const verdict = health.critical ? 'critical at times' : health.degraded ? 'degraded at times' : 'healthy throughout';
    lines.push(`For ${span} the server was ${verdict}: ${beats.length} beat(s), ${health.healthy} healthy, ${health.degraded} degraded, ${health.critical} critical.`);
    if (issues.length) lines.push(`Issues: ${issues.slice(0, 3).map((i) => `${i.title} (${i.severity}, ${i.beats} beat(s))`).join('; ')}.`);
    for (const a of apps) {
      lines.push(`${a.slug}: ${plural(a.requests, 'request')}, ${a.errors} 5xx, p99 up to ${a.maxP99} ms${a.sandboxErrors || a.limitHits ? `, ${plural(a.sandboxErrors, 'sandbox error')}, ${plural(a.limitHits, 'limit hit')}` : ''}.`);
    }
    const shown = input.metrics.length ? metricList : metricList.slice(0, 2);
    if (shown.length) lines.push(`${shown.map((m) => `${m.label} ${m.min}–${m.max} (avg ${m.avg})`).join(', ')}.`);
  }
  if (events.length) lines.push(`${events.length} notable event(s), e.g. ${events.slice(0, 2).map((e) => `${e.type} at ${time(e.at)}`).join(', ')}.`);
  if (issues[0]?.recommendation) lines.push(`Suggested: ${issues[0].recommendation}`);

  return { answer: lines.join(' '), context: contextText(input, health, issues, metricList, apps, events), issues, metrics: metricList, apps, events };
}

function worstIssues(beats: Beat[]): AskAnswer['issues'] {
  const m = new Map<string, AskAnswer['issues'][number] & { rank: number }>();
  for (const b of beats) {
    for (const i of b.analysis.issues as Issue[]) {
      const e = m.get(i.key);
      const rank = SEVERITY_RANK[i.severity];
      if (!e) m.set(i.key, { key: i.key, severity: i.severity, title: i.title, beats: 1, recommendation: i.recommendation, rank });
      else {
        e.beats++;
        if (rank > e.rank) Object.assign(e, { severity: i.severity, title: i.title, rank });
      }
    }
  }
  return [...m.values()].sort((a, b) => b.rank - a.rank || b.beats - a.beats).map(({ rank: _r, ...rest }) => rest);
}

function appFacts(slug: string, beats: Beat[]): AskAnswer['apps'][number] {
  let requests = 0, errors = 0, maxP99 = 0, sandboxErrors = 0, limitHits = 0;
  for (const b of beats) {
    requests += valueAt(b.metrics, `http.bySlug.${slug}.requests`) ?? 0;
    errors += valueAt(b.metrics, `http.bySlug.${slug}.errors5xx`) ?? 0;
    maxP99 = Math.max(maxP99, valueAt(b.metrics, `http.bySlug.${slug}.p99`) ?? 0);
    sandboxErrors += valueAt(b.metrics, `apps.bySlug.${slug}.sandboxErrors`) ?? 0;
    limitHits += valueAt(b.metrics, `apps.bySlug.${slug}.limitHits`) ?? 0;
  }
  return { slug, requests, errors, maxP99, sandboxErrors, limitHits };
}

function eventSummary(e: FaztEvent): string {
  const d = (e.data ?? {}) as Record<string, unknown>;
  const bits = ['slug', 'app', 'version', 'kind', 'op', 'status', 'reason'].filter((k) => d[k] !== undefined).map((k) => `${k}=${String(d[k])}`);
  return bits.join(' ').slice(0, 160);
}

/** Compact, labelled sections: what a model needs to answer, nothing more. */
function contextText(
  input: AskInput,
  health: Record<string, number>,
  issues: AskAnswer['issues'],
  metrics: AskAnswer['metrics'],
  apps: AskAnswer['apps'],
  events: AskAnswer['events'],
): string {
  const w = input.window;
  const out = [
    `QUESTION: ${input.question}`,
    `WINDOW: ${time(w.fromMs)} to ${time(w.toMs)} (${w.label}${input.defaultWindow ? ', default' : ''})`,
    `BEATS: ${input.beats.length} (healthy ${health.healthy}, degraded ${health.degraded}, critical ${health.critical})`,
  ];
  if (input.latest) out.push(`LATEST: ${time(input.latest.at)} ${input.latest.health} — ${input.latest.summary}`);
  out.push('ISSUES:', ...(issues.length ? issues.slice(0, 10).map((i) => `- [${i.severity}] ${i.key}: ${i.title} (${plural(i.beats, 'beat')}) → ${i.recommendation}`) : ['- none']));
  out.push('METRICS (min–max, avg, last):', ...(metrics.length ? metrics.map((m) => `- ${m.path}: ${m.min}–${m.max}, avg ${m.avg}, last ${m.last}`) : ['- none']));
  if (apps.length) out.push('APPS:', ...apps.map((a) => `- ${a.slug}: requests ${a.requests}, 5xx ${a.errors}, max p99 ${a.maxP99} ms, sandbox errors ${a.sandboxErrors}, limit hits ${a.limitHits}`));
  out.push('EVENTS:', ...(events.length ? events.slice(0, 20).map((e) => `- ${time(e.at)} ${e.type} ${e.summary}`) : ['- none']));
  const timeline = [...input.beats].sort((a, b) => a.atMs - b.atMs).slice(-12);
  if (timeline.length) out.push('TIMELINE (last beats):', ...timeline.map((b) => `- ${time(b.at)} ${b.health}: ${b.summary}`));
  return out.join('\n');
}
