import type { Beat } from '../beat-store.js';
import { SEVERITY_RANK, type Severity } from '../analysis/types.js';
import { valueAt } from '../metric-paths.js';
import { mean } from '../analysis/stats.js';
import { plural } from '../../kernel/plural.js';

export interface RecurringIssue {
  key: string;
  title: string;
  severity: Severity;
  occurrences: number;
  firstSeen: string;
  lastSeen: string;
  open: boolean;
  recommendation: string;
}

export interface Change {
  metric: string;
  label: string;
  from: number;
  to: number;
  changePercent: number;
  description: string;
}

export interface Insights {
  beats: number;
  from: string | null;
  to: string | null;
  health: { healthy: number; degraded: number; critical: number };
  recurring: RecurringIssue[];
  changes: Change[];
  busiestApps: { slug: string; requests: number; errors: number }[];
  cost: { avgWallMs: number; avgCpuMs: number };
  notes: string[];
}

/** Metrics worth watching for drift, with the smallest change that matters. */
const WATCH: [string, string, number][] = [
  ['host.memory.percent', 'Memory %', 5],
  ['host.disk.percent', 'Disk %', 2],
  ['process.rssMb', 'fazt RSS MB', 20],
  ['http.perMinute', 'Requests/min', 1],
  ['http.p99', 'p99 latency ms', 20],
  ['http.errorRate', 'Error rate %', 1],
  ['storage.totalMb', 'data.db MB', 10],
  ['process.eventLoopP99Ms', 'Event-loop p99 ms', 20],
];

/** Notable changes (first third vs last third of the window) and issues that keep coming back. */
export function computeInsights(beats: Beat[]): Insights {
  const sorted = [...beats].sort((a, b) => a.atMs - b.atMs || a.id - b.id);
  const health = { healthy: 0, degraded: 0, critical: 0 };
  const issues = new Map<string, RecurringIssue>();
  const apps = new Map<string, { requests: number; errors: number }>();
  const last = sorted.at(-1);
  for (const b of sorted) {
    health[b.health]++;
    for (const i of b.analysis.issues) {
      const r = issues.get(i.key);
      if (!r) issues.set(i.key, { key: i.key, title: i.title, severity: i.severity, occurrences: 1, firstSeen: b.at, lastSeen: b.at, open: false, recommendation: i.recommendation });
      else {
        r.occurrences++;
        r.lastSeen = b.at;
        r.title = i.title;
        if (SEVERITY_RANK[i.severity] > SEVERITY_RANK[r.severity]) r.severity = i.severity;
      }
    }
    const bySlug = ((b.metrics.http as Record<string, unknown> | undefined)?.bySlug ?? {}) as Record<string, { requests?: number; errors5xx?: number }>;
    for (const [slug, s] of Object.entries(bySlug)) {
      const a = apps.get(slug) ?? { requests: 0, errors: 0 };
      a.requests += s.requests ?? 0;
      a.errors += s.errors5xx ?? 0;
      apps.set(slug, a);
    }
  }
  for (const i of last?.analysis.issues ?? []) {
    const r = issues.get(i.key);
    if (r) r.open = true;
  }
  const recurring = [...issues.values()]
    .filter((r) => r.occurrences >= 2 || r.severity === 'critical')
    .sort((a, b) => b.occurrences - a.occurrences || SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity]);

  const changes: Change[] = [];
  if (sorted.length >= 3) {
    const third = Math.max(1, Math.floor(sorted.length / 3));
    for (const [path, label, minDelta] of WATCH) {
      const vals = (bs: Beat[]) => bs.map((b) => valueAt(b.metrics, path)).filter((v): v is number => v !== null);
      const a = vals(sorted.slice(0, third));
      const z = vals(sorted.slice(-third));
      if (!a.length || !z.length) continue;
      const from = round(mean(a));
      const to = round(mean(z));
      const delta = to - from;
      const pct = from !== 0 ? round((delta / Math.abs(from)) * 100) : to !== 0 ? 100 : 0;
      if (Math.abs(delta) >= minDelta && Math.abs(pct) >= 25) {
        changes.push({ metric: path, label, from, to, changePercent: pct, description: `${label} ${delta > 0 ? 'rose' : 'fell'} from ${from} to ${to} (${pct > 0 ? '+' : ''}${pct} %).` });
      }
    }
  }
  const notes: string[] = [];
  if (!sorted.length) notes.push('No beats in this window yet: run pulse.beat or wait for the next one.');
  for (const r of recurring.slice(0, 3)) notes.push(`${r.title} seen in ${r.occurrences} of ${plural(sorted.length, 'beat')}${r.open ? ', still open' : ', now resolved'}.`);
  for (const c of changes.slice(0, 3)) notes.push(c.description);
  const failed = sorted.filter((b) => Object.values(b.collectors).some((c) => !c.ok)).length;
  if (failed) notes.push(`${failed} beat(s) had a failing collector.`);
  return {
    beats: sorted.length,
    from: sorted[0]?.at ?? null,
    to: last?.at ?? null,
    health,
    recurring,
    changes,
    busiestApps: [...apps.entries()].map(([slug, a]) => ({ slug, ...a })).sort((a, b) => b.requests - a.requests).slice(0, 5),
    cost: { avgWallMs: round(mean(sorted.map((b) => b.cost.wallMs))), avgCpuMs: round(mean(sorted.map((b) => b.cost.cpuMs))) },
    notes,
  };
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}
