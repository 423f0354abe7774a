import type { FaztEvent } from '../../events/bus.js';
import type { Metrics } from '../collectors/define.js';
import { valueAt } from '../metric-paths.js';
import { defaultRules, type Rule, type RuleContext } from './rules.js';
import type { Thresholds } from './thresholds.js';
import { SEVERITY_RANK, type Analyser, type Analysis, type BeatFacts, type Health, type Issue, type PastBeat } from './types.js';
import { plural } from '../../kernel/plural.js';

/** Thresholds, hysteresis and statistics over recent beats: the analyser that needs no AI. */
export class RuleAnalyser implements Analyser {
  readonly name = 'rules';

  constructor(
    private readonly thresholds: () => Thresholds,
    private readonly rules: Rule[] = defaultRules,
  ) {}

  analyse(beat: BeatFacts, history: PastBeat[], events: FaztEvent[]): Analysis {
    const prev = new Map((history.at(-1)?.issues ?? []).map((i) => [i.key, i.severity]));
    const ctx: RuleContext = {
      beat, history, events, t: this.thresholds(),
      previous: (key) => prev.get(key),
      patterns: [], security: [],
    };
    const issues: Issue[] = [];
    for (const rule of this.rules) {
      try {
        issues.push(...rule(ctx));
      } catch (err) {
        ctx.patterns.push(`A rule failed: ${(err as Error).message}`);
      }
    }
    for (const [name, reason] of Object.entries(beat.failed)) {
      issues.push({
        key: `pulse.collector:${name}`, severity: 'warning', subject: name, metric: `${name}`, value: null,
        title: `Collector '${name}' failed`,
        description: `The ${name} metrics are missing from this beat: ${reason}.`,
        recommendation: 'Run pulse.beat again; if it keeps failing, check the server log for the cause.',
      });
    }
    const unique = dedupe(issues).sort((a, b) => SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] || a.key.localeCompare(b.key));
    ctx.patterns.push(...describePatterns(beat.metrics, events));
    const health = healthOf(unique);
    return { health, summary: summarise(health, unique, beat.metrics), issues: unique, patterns: ctx.patterns, security: ctx.security, analyser: this.name };
  }
}

function dedupe(issues: Issue[]): Issue[] {
  const byKey = new Map<string, Issue>();
  for (const i of issues) {
    const had = byKey.get(i.key);
    if (!had || SEVERITY_RANK[i.severity] > SEVERITY_RANK[had.severity]) byKey.set(i.key, i);
  }
  return [...byKey.values()];
}

export function healthOf(issues: Issue[]): Health {
  if (issues.some((i) => i.severity === 'critical')) return 'critical';
  if (issues.some((i) => i.severity === 'warning')) return 'degraded';
  return 'healthy';
}

/** One sentence: the verdict, then the worst issue or the headline numbers. */
export function summarise(health: Health, issues: Issue[], m: Metrics): string {
  const serious = issues.filter((i) => i.severity !== 'info');
  if (health !== 'healthy') {
    const more = serious.length > 1 ? ` and ${serious.length - 1} more issue${serious.length > 2 ? 's' : ''}` : '';
    return `${health === 'critical' ? 'Critical' : 'Degraded'}: ${serious[0].title}${more}.`;
  }
  const parts: string[] = [];
  const req = valueAt(m, 'http.requests');
  if (req !== null) parts.push(`${req} request${req === 1 ? '' : 's'} since the last beat${req ? ` (p99 ${valueAt(m, 'http.p99')} ms)` : ''}`);
  const mem = valueAt(m, 'host.memory.percent');
  if (mem !== null) parts.push(`memory ${mem} %`);
  const disk = valueAt(m, 'host.disk.percent');
  if (disk !== null) parts.push(`disk ${disk} %`);
  const note = issues.length ? `; ${issues.length} note${issues.length > 1 ? 's' : ''}` : '';
  return `Healthy${parts.length ? `: ${parts.join(', ')}` : ''}${note}.`;
}

function describePatterns(m: Metrics, events: FaztEvent[]): string[] {
  const out: string[] = [];
  const bySlug = ((m.http as Metrics | undefined)?.bySlug ?? {}) as Record<string, Metrics>;
  // The same apps the apps collector counts as active, so "Busiest" and "N of M apps served requests" agree.
  const apps = (m.apps as Metrics | undefined)?.bySlug as Metrics | undefined;
  const served = Object.entries(bySlug).filter(([slug, s]) => Number(s.requests) > 0 && s.noApp !== true && (!apps || slug in apps));
  const appRequests = served.reduce((n, [, s]) => n + Number(s.requests), 0);
  const busiest = served.sort((a, b) => Number(b[1].requests) - Number(a[1].requests))[0];
  if (busiest) out.push(`Busiest: ${busiest[0]} with ${busiest[1].requests} of ${plural(appRequests, 'app request')}.`);
  const noApp = Object.values(bySlug).reduce((n, s) => n + (s.noApp === true ? Number(s.requests) || 0 : 0), 0);
  if (noApp) out.push(`${plural(noApp, 'request')} to hosts with no app.`);
  const deploys = events.filter((e) => e.type === 'system.app.deployed').length;
  if (deploys) out.push(`${deploys} deploy${deploys > 1 ? 's' : ''} since the last beat.`);
  const idle = valueAt(m, 'apps.idle');
  const active = valueAt(m, 'apps.active');
  if (idle !== null && active !== null && idle + active > 0) out.push(`${active} of ${plural(idle + active, 'app')} served requests.`);
  return out;
}
