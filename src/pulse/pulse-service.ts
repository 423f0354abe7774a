import type { FaztEvent } from '../events/bus.js';
import type { Kernel } from '../kernel/kernel.js';
import { OpError } from '../kernel/ops/errors.js';
import { AiAnalyser } from './analysis/ai-analyser.js';
import { RuleAnalyser } from './analysis/rule-analyser.js';
import type { Analyser, Analysis, PastBeat } from './analysis/types.js';
import { AppErrors } from './app-errors.js';
import { BeatStore, type Beat } from './beat-store.js';
import { builtinCollectors } from './collectors/index.js';
import { logDropRule } from './analysis/log-drop-rule.js';
import { notifyFailingRule } from './analysis/notify-failing-rule.js';
import { backupStaleRule } from '../backup/pulse-rule.js';
import { defaultRules } from './analysis/rules.js';
import { CollectorRegistry } from './collectors/define.js';
import type { CertProvider } from './collectors/certs.js';
import { loadConfig, MAX_INTERVAL_MS, MAX_RETENTION_MS, MIN_INTERVAL_MS, parseInterval, SETTINGS_KEY, type PulseConfig, type StoredPulseConfig } from './config.js';
import { diffIssues } from './issue-diff.js';
import { RecentEvents } from './recent-events.js';
import { RequestMetrics } from './request-metrics.js';
import { runCollectors } from './run-collectors.js';

export interface BeatResult extends Beat {
  /** False when the database stayed locked through every attempt: the beat was analysed but not kept. */
  stored: boolean;
  attempts: number;
  storeError?: string;
}

export interface BeatOptions {
  trigger?: Beat['trigger'];
  /** Wall-clock time to record (tests simulate clock jumps with it). */
  now?: number;
}

const HISTORY = 12;
/** The shared rules plus those kept in their own files. */
const RULES = [...defaultRules, logDropRule, notifyFailingRule, backupStaleRule];
const STORE_ATTEMPTS = 4;
const RETRY_DELAY_MS = 300;

/** Pulse: collects, analyses and stores beats on a timer or on demand, and raises issue events. */
export class PulseService {
  readonly store: BeatStore;
  readonly collectors = new CollectorRegistry(builtinCollectors);
  readonly requests = new RequestMetrics();
  readonly appErrors = new AppErrors();
  readonly events = new RecentEvents();
  readonly certProviders: CertProvider[] = [];
  analyser: Analyser;
  config: PulseConfig;
  /** The last beats analysed (stored or not), oldest first: hysteresis and statistics read these. */
  private recent: PastBeat[] = [];
  private lastBeatAt: number | null = null;
  private running: Promise<BeatResult> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;
  private readonly unsubscribe: (() => void)[] = [];
  private readonly askCalls = new Map<string, number[]>();
  private detachObserver: (() => void) | null = null;

  constructor(private readonly kernel: Kernel) {
    this.store = new BeatStore(kernel.db);
    this.config = loadConfig(kernel);
    this.analyser = this.makeAnalyser();
    this.observeRequests(true);
    this.unsubscribe.push(kernel.events.on('system.app.error', this.appErrors.onEvent));
    this.unsubscribe.push(kernel.events.on('*', this.events.onEvent));
    this.unsubscribe.push(kernel.events.on('system.app.deleted', (e) => this.requests.forget(String((e.data as { slug?: string }).slug))));
  }

  start(): void {
    const last = this.store.recent(HISTORY);
    this.recent = last.map((b) => ({ id: b.id, at: b.at, metrics: b.metrics, issues: b.analysis.issues }));
    this.lastBeatAt = last.at(-1)?.atMs ?? null;
    this.schedule();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    for (const off of this.unsubscribe.splice(0)) off();
    this.observeRequests(false);
  }

  /** Attaches or detaches the per-request metrics observer (benchmarks compare both). */
  observeRequests(on: boolean): void {
    if (on && !this.detachObserver) this.detachObserver = this.kernel.requests.add(this.requests.observe);
    if (!on && this.detachObserver) {
      this.detachObserver();
      this.detachObserver = null;
    }
  }

  /** (Re)arms the beat timer from the current interval. */
  schedule(): void {
    if (this.timer) clearTimeout(this.timer);
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.beat({ trigger: 'timer' })
        .catch((err) => process.emitWarning(`pulse beat failed: ${(err as Error).message}`))
        .finally(() => this.schedule());
    }, this.config.intervalMs);
    this.timer.unref();
  }

  /** Runs one beat; a beat already under way is shared rather than doubled. */
  beat(opts: BeatOptions = {}): Promise<BeatResult> {
    if (!this.running) this.running = this.runBeat(opts).finally(() => (this.running = null));
    return this.running;
  }

  private async runBeat(opts: BeatOptions): Promise<BeatResult> {
    const wall0 = performance.now();
    const cpu0 = process.cpuUsage();
    const now = opts.now ?? Date.now();
    this.kernel.requests.flush();
    const http = this.requests.take(now);
    const appErrors = this.appErrors.take();
    const { metrics, status, failed } = await runCollectors(
      this.collectors.all(),
      { kernel: this.kernel, now, lastBeatAt: this.lastBeatAt, http, appErrors },
      (name) => this.collectors.stateOf(name),
    );
    const at = new Date(now).toISOString();
    const events = this.events.since(this.lastBeatAt ?? now - this.config.intervalMs);
    const analysis = await this.analyse({ at, metrics, failed }, events);
    const cpu = process.cpuUsage(cpu0);
    const cost = { wallMs: round(performance.now() - wall0), cpuMs: round((cpu.user + cpu.system) / 1000) };
    const beat: Omit<Beat, 'id'> = {
      at, atMs: now, trigger: opts.trigger ?? 'op', health: analysis.health, summary: analysis.summary,
      metrics, analysis, collectors: status, cost,
    };
    const { id, attempts, error } = await this.persist(beat);
    const previous = this.recent.at(-1)?.issues ?? [];
    this.recent.push({ id: id ?? 0, at, metrics, issues: analysis.issues });
    if (this.recent.length > HISTORY) this.recent.shift();
    this.lastBeatAt = now;
    this.announce({ id: id ?? 0, ...beat }, previous, id !== null);
    return { id: id ?? 0, ...beat, stored: id !== null, attempts, ...(error ? { storeError: error } : {}) };
  }

  private async analyse(facts: Parameters<Analyser['analyse']>[0], events: FaztEvent[]): Promise<Analysis> {
    try {
      return await this.analyser.analyse(facts, this.recent, events);
    } catch (err) {
      // A pluggable analyser failing must not cost the beat: fall back to the rules.
      const fallback = new RuleAnalyser(() => this.config.thresholds, RULES).analyse(facts, this.recent, events);
      return { ...fallback, patterns: [...fallback.patterns, `Analyser '${this.analyser.name}' failed: ${(err as Error).message}`] };
    }
  }

  /** Stores the beat, retrying while the database is locked by another writer; prunes old beats. */
  private async persist(beat: Omit<Beat, 'id'>): Promise<{ id: number | null; attempts: number; error?: string }> {
    let lastError = '';
    for (let attempt = 1; attempt <= STORE_ATTEMPTS; attempt++) {
      try {
        const id = this.store.insert(beat);
        try {
          this.store.prune(Date.now() - this.config.retentionMs);
        } catch {
          /* pruning waits for the next beat */
        }
        return { id, attempts: attempt };
      } catch (err) {
        if (!isBusy(err)) throw err;
        lastError = (err as Error).message;
        if (attempt < STORE_ATTEMPTS && !this.stopped) await sleep(RETRY_DELAY_MS * attempt);
      }
    }
    process.emitWarning(`pulse: beat not stored, database locked (${lastError})`);
    return { id: null, attempts: STORE_ATTEMPTS, error: `database locked: ${lastError}` };
  }

  private announce(beat: Beat, previous: PastBeat['issues'], stored: boolean): void {
    const ev = this.kernel.events;
    ev.emit({
      type: 'system.pulse.beat',
      source: 'system',
      data: {
        id: beat.id, at: beat.at, health: beat.health, summary: beat.summary, stored,
        issues: beat.analysis.issues.map((i) => ({ key: i.key, severity: i.severity })), cost: beat.cost,
      },
    });
    const { raised, resolved } = diffIssues(previous, beat.analysis.issues);
    for (const { issue, previous: was } of raised) {
      ev.emit({ type: 'system.pulse.issue', source: 'system', data: { ...issue, previousSeverity: was, beatId: beat.id, at: beat.at } });
    }
    for (const issue of resolved) {
      ev.emit({ type: 'system.pulse.resolved', source: 'system', data: { key: issue.key, title: issue.title, severity: issue.severity, subject: issue.subject, beatId: beat.id, at: beat.at } });
    }
  }

  /** Validates, applies and saves new settings; a new interval re-arms the timer. */
  private makeAnalyser(): Analyser {
    const rules = new RuleAnalyser(() => this.config.thresholds, RULES);
    return this.config.analyser === 'ai' ? new AiAnalyser(this.kernel, rules) : rules;
  }

  configure(changes: StoredPulseConfig): PulseConfig {
    const intervalMs = changes.interval !== undefined ? parseInterval(changes.interval, 'interval', MIN_INTERVAL_MS, MAX_INTERVAL_MS) : undefined;
    const retentionMs = changes.retention !== undefined ? parseInterval(changes.retention, 'retention', 3_600_000, MAX_RETENTION_MS) : undefined;
    const thresholds = { ...this.config.thresholds, ...(changes.thresholds ?? {}) };
    for (const [w, c] of [['memoryWarningPercent', 'memoryCriticalPercent'], ['diskWarningPercent', 'diskCriticalPercent'], ['errorRateWarningPercent', 'errorRateCriticalPercent']] as const) {
      if (thresholds[w] > thresholds[c]) throw new OpError('BAD_INPUT', `thresholds.${w} (${thresholds[w]}) must not be above thresholds.${c} (${thresholds[c]}).`);
    }
    if (thresholds.certCriticalDays > thresholds.certWarningDays) throw new OpError('BAD_INPUT', 'thresholds.certCriticalDays must not be above thresholds.certWarningDays.');
    const saved = this.kernel.settings.get<StoredPulseConfig>(SETTINGS_KEY, {});
    this.kernel.settings.set(SETTINGS_KEY, {
      ...saved,
      ...(changes.interval !== undefined ? { interval: changes.interval } : {}),
      ...(changes.retention !== undefined ? { retention: changes.retention } : {}),
      ...(changes.askPerMinute !== undefined ? { askPerMinute: changes.askPerMinute } : {}),
      ...(changes.analyser !== undefined ? { analyser: changes.analyser } : {}),
      thresholds: { ...(saved.thresholds ?? {}), ...(changes.thresholds ?? {}) },
    } satisfies StoredPulseConfig);
    this.config = {
      intervalMs: intervalMs ?? this.config.intervalMs,
      retentionMs: retentionMs ?? this.config.retentionMs,
      askPerMinute: changes.askPerMinute ?? this.config.askPerMinute,
      thresholds,
      analyser: changes.analyser ?? this.config.analyser,
    };
    if (changes.analyser !== undefined) this.analyser = this.makeAnalyser();
    if (intervalMs !== undefined) this.schedule();
    return this.config;
  }

  /** Fixed one-minute window per caller for model-backed pulse.ask answers. */
  checkAskRate(callerKey: string): void {
    const limit = this.config.askPerMinute;
    if (limit <= 0) return;
    const now = Date.now();
    const calls = (this.askCalls.get(callerKey) ?? []).filter((t) => now - t < 60_000);
    if (calls.length >= limit) {
      const retryAfter = Math.max(1, Math.ceil((calls[0] + 60_000 - now) / 1000));
      throw new OpError('RATE_LIMITED', `pulse.ask is limited to ${limit} question(s) per minute; retry in ${retryAfter}s. pulse.status and pulse.history are not limited.`, { retryAfter });
    }
    calls.push(now);
    this.askCalls.set(callerKey, calls);
  }

}

function isBusy(err: unknown): boolean {
  const code = (err as { code?: string })?.code ?? '';
  return code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED');
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms).unref());
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}
