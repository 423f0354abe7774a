import type { FaztEvent } from '../events/bus.js';
import type { Kernel } from '../kernel/kernel.js';
import type { HaltChoice } from '../kernel/ops/define.js';
import { toOpError } from '../kernel/ops/errors.js';
import { AGENT_CALLER } from './caller.js';
import { ChurnBudget } from './churn.js';
import { isPaused, levelFor, loadConfig, type AgentConfig } from './config.js';
import { parseDuration } from '../auth/tokens.js';
import { GROUP_WAIT_MS, IncidentTracker, VERIFY_BEATS, type Incident } from './incidents.js';
import { Journal, type Decision, type NewDecision, type OpCall } from './journal.js';
import { PLAYBOOKS } from './playbooks/index.js';
import type { Diagnosis, IssueSeen, Plan, Playbook, PlaybookContext, Proposal } from './playbooks/types.js';
import { judge } from './policy.js';
import { Preferences } from './preferences.js';
import { proposeWithModel } from './proposer.js';
import { DO_IT_MYSELF, onOwnerAnswer } from './owner-answers.js';
import { tell } from './tell.js';
import { say } from './words.js';

export const ACKNOWLEDGE = 'Acknowledge';
const DAY_MS = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString();

type Base = Omit<NewDecision, 'options' | 'choice' | 'why' | 'action' | 'haltId' | 'outcome' | 'verification' | 'undo' | 'actedAt' | 'detectToActionMs'>;

/**
 * The loop: observe (pulse issues, beats, halts, deploys, notification failures),
 * decide (playbooks first, the model only where none applies), act as the agent's
 * own caller or escalate as a halt, verify on later beats, and remember.
 */
export class AgentService {
  config: AgentConfig;
  readonly journal: Journal;
  readonly preferences: Preferences;
  readonly incidents: IncidentTracker;
  readonly budget: ChurnBudget;
  /** Model calls made since start (status shows it; a healthy server makes none). */
  modelCalls = 0;
  private modelBackoffUntil = 0;
  private lastPrune = 0;
  private readonly offs: (() => void)[] = [];
  private readonly inFlight = new Set<Promise<unknown>>();

  constructor(private readonly kernel: Kernel) {
    this.config = loadConfig(kernel);
    this.journal = new Journal(kernel.db);
    this.preferences = new Preferences(kernel.db);
    this.budget = new ChurnBudget(() => this.config.budgets, this.journal.actedSince(new Date(Date.now() - 3_600_000).toISOString()));
    // `--set agent.groupWait=10s`: how soon a resolved incident that comes back is still the same one.
    const wait = kernel.config.extra['agent.groupWait'];
    const waitMs = wait === undefined ? null : parseDuration(wait);
    if (wait !== undefined && waitMs === null) process.emitWarning(`agent: ignoring agent.groupWait='${wait}' (expected a duration like 30s)`);
    this.incidents = new IncidentTracker(waitMs ?? GROUP_WAIT_MS);
  }

  start(): void {
    const on = (type: string, fn: (e: FaztEvent) => unknown) =>
      this.offs.push(this.kernel.events.on(type, (e) => void this.track(Promise.resolve().then(() => fn(e)))));
    on('system.pulse.issue', (e) => this.onIssue(e.data as IssueSeen));
    on('system.pulse.resolved', (e) => this.onResolved(String((e.data as { key?: string }).key)));
    on('system.pulse.beat', (e) => this.onBeat(e.data as { id: number; issues: { key: string }[] }));
    on('system.halt.decided', (e) => onOwnerAnswer({ kernel: this.kernel, journal: this.journal, preferences: this.preferences, incidents: this.incidents, tell: (t, b, sev) => this.tell(t, b, sev) }, e.data as { id: string; status: string; option?: string }));
    on('system.app.deployed', (e) => this.onDeployed(String((e.data as { slug?: string }).slug)));
    on('system.notify.failed', (e) => this.onNotifyFailed(e.data as { channel: string; error: string }));
  }

  async stop(): Promise<void> {
    for (const off of this.offs.splice(0)) off();
    await Promise.allSettled([...this.inFlight]);
  }

  /** Resolves once every decision under way has finished (tests, the evaluation and the bench wait on it). */
  async idle(): Promise<void> {
    while (this.inFlight.size) await Promise.allSettled([...this.inFlight]);
  }

  private track<T>(p: Promise<T>): Promise<T | undefined> {
    const q = p.catch((err) => {
      process.emitWarning(`agent: ${(err as Error).message}`);
      return undefined;
    });
    this.inFlight.add(q);
    return q.finally(() => this.inFlight.delete(q));
  }

  backOffModel(ms: number): void {
    this.modelBackoffUntil = Date.now() + ms;
  }

  paused(): boolean {
    return isPaused(this.config);
  }

  /** The owner will handle it: the agent keeps quiet about this incident until it resolves. */
  acknowledge(incident: string): boolean {
    const inc = this.incidents.get(incident);
    if (inc) inc.state = 'acknowledged';
    return !!inc;
  }

  private context(): PlaybookContext {
    const kernel = this.kernel;
    return {
      kernel,
      config: this.config,
      has: (op) => !!kernel.registry.get(op),
      read: async (op, input) => {
        const r = await kernel.invoke(AGENT_CALLER, op, input, { surface: 'agent' });
        if (r.status !== 'ok') throw new Error(`${op} halted`);
        return r.output as never;
      },
    };
  }

  // ---- observe ----

  onIssue(seen: IssueSeen): Promise<void> | void {
    if (this.paused() || typeof seen?.key !== 'string') return;
    // Pulse names the subject; an issue without one is about what its key names after the colon.
    const issue = typeof seen.subject === 'string' ? seen : { ...seen, subject: seen.key.slice(seen.key.indexOf(':') + 1) };
    const pb = PLAYBOOKS.find((p) => p.matches(issue));
    const group = pb ? pb.group(issue) : issue.key;
    const app = group.startsWith('app:') ? issue.subject : null;
    const { incident, joined } = this.incidents.openOrJoin(group, issue, pb?.name ?? null, app);
    // One incident per key or group: a burst, a worsening, or a repeat while verifying is not decided again.
    if (joined) return;
    return this.decide(incident, issue);
  }

  private onResolved(key: string): void {
    const r = this.incidents.resolve(key);
    if (!r) return;
    const { incident, closed } = r;
    if (incident.state === 'verifying' && incident.decisionId) this.verified(incident, `ok: ${key} resolved`);
    if (closed && incident.decisionId) this.journal.update(incident.decisionId, { resolvedAt: iso(Date.now()) });
  }

  private onDeployed(slug: string): void {
    this.incidents.forgetClosed(`app:${slug}`);
    const inc = this.incidents.get(`app:${slug}`);
    if (inc?.state === 'verifying' && inc.decisionId) {
      this.journal.update(inc.decisionId, { verification: 'superseded: the app was deployed again' });
      inc.state = 'idle';
    }
  }

  private onNotifyFailed(d: { channel: string; error: string }): Promise<void> | void {
    if (!d?.channel) return;
    return this.onIssue({
      key: `notify.failing:${d.channel}`, severity: 'warning', subject: d.channel,
      title: `Notifications to '${d.channel}' are failing`, description: `Delivery to '${d.channel}' failed: ${d.error}`,
    });
  }

  private async onBeat(data: { id: number; issues: { key: string }[] }): Promise<void> {
    if (this.paused()) return;
    const now = Date.now();
    if (now - this.lastPrune > DAY_MS) {
      this.lastPrune = now;
      this.journal.prune(now);
    }
    const verifying = this.incidents.all().filter((i) => i.state === 'verifying');
    if (!verifying.length && !data.issues.length) return; // healthy: nothing to read, nothing to decide
    // The issue events of this beat come right after it: let them open their incidents first.
    await new Promise((r) => setImmediate(r));
    const missed = data.issues.filter((i) => !this.incidents.holding(i.key));
    if (!verifying.length && !missed.length) return;
    const beat = this.kernel.services.pulse.store.latest();
    if (!beat || beat.id !== data.id) return;
    for (const inc of verifying) await this.verify(inc, beat);
    // Anything an event did not bring (missed while paused, or lost on restart) is caught here.
    for (const m of missed) {
      const issue = beat.analysis.issues.find((i) => i.key === m.key);
      if (issue && !this.incidents.holding(issue.key)) await this.onIssue({ ...issue, beatId: beat.id, at: beat.at });
    }
  }

  // ---- decide ----

  private async decide(incident: Incident, issue: IssueSeen): Promise<void> {
    const detectedAt = Date.now();
    const level = levelFor(this.config, incident.app);
    const came = this.journal.lastFor(incident.key, iso(detectedAt - DAY_MS));
    if (came?.resolvedAt) this.journal.update(came.id, { recurred: true });
    const base: Base = {
      incident: incident.key, issueKey: issue.key, beatId: issue.beatId ?? null, kind: 'none', subject: issue.subject, app: incident.app,
      level, shadow: this.config.shadow, observation: `${issue.severity}: ${issue.title}. ${issue.description}`, detectedAt: iso(detectedAt),
    };
    const ctx = this.context();
    let plan: Plan | null = null;
    for (const pb of PLAYBOOKS.filter((p) => p.matches(issue))) {
      plan = await pb.plan(ctx, issue);
      if (plan) {
        base.kind = pb.name;
        incident.playbook = pb.name;
        break;
      }
    }
    if (!plan) plan = await this.askModel(incident, issue, base);
    if (!plan) return;
    if ('internal' in plan) return this.runInternal(incident, plan.internal, base);
    if ('diagnosis' in plan) return this.escalateDiagnosis(incident, plan.diagnosis, base);
    const p = plan.proposal;
    if (!this.kernel.registry.get(p.op)) return this.escalateDiagnosis(incident, { reason: `${issue.title}, and I cannot ${p.label.toLowerCase()}: ${p.op} is not available`, details: [issue.description] }, base);
    const preference = this.preferences.get(base.kind, base.subject, p.op);
    const j = judge(this.kernel, p, {
      level, personality: this.config.personality, preference,
      suppressed: this.preferences.isSuppressed(preference),
      overBudget: this.budget.refuse(Math.max(incident.actions, this.journal.actsOn(incident.key, iso(detectedAt - 3_600_000)))),
    });
    const options = [p.label, ...(p.otherOptions ?? [])];
    if (this.config.shadow) {
      this.record(incident, base, { options, choice: `would ${j.choice}`, why: j.why, action: call(p), outcome: 'not run: shadow mode', undo: p.undo ?? null });
      incident.state = 'idle';
      return;
    }
    if (j.choice === 'act') return this.act(incident, p, j.why, base);
    if (j.choice === 'escalate') return this.escalate(incident, p, j.why, base, j.offerPromotion === true);
    if (j.choice === 'report') return this.report(incident, p, j.why, base);
    this.record(incident, base, { options, choice: j.choice, why: j.why, action: call(p), outcome: 'not run', undo: null });
    incident.state = 'idle';
  }

  /** No playbook: the model may propose one action (when configured); otherwise it is journaled, not acted on. */
  private async askModel(incident: Incident, issue: IssueSeen, base: Base): Promise<Plan | null> {
    const ai = this.kernel.services.ai;
    if (!ai?.configured() || Date.now() < this.modelBackoffUntil) {
      this.record(incident, base, { options: [], choice: 'none', why: `no playbook covers ${issue.key}${ai?.configured() ? ' and the model is backing off' : ''}`, action: null, outcome: 'nothing done', undo: null });
      incident.state = 'idle';
      return null;
    }
    base.kind = 'model';
    this.modelCalls++;
    const beats = this.kernel.services.pulse.store.recent(3).map((b) => `beat ${b.at}: ${b.summary}`);
    const logs = await this.context().read<{ entries: { at: string; message?: string }[] }>('logs.query', { level: 'error', limit: 10, since: '1h' }).catch(() => ({ entries: [] }));
    const context = [...beats, ...logs.entries.map((e) => `log ${e.at}: ${String(e.message ?? '').slice(0, 300)}`)];
    const r = await proposeWithModel(this.kernel, issue, base.level as never, context);
    if ('proposal' in r) return { proposal: r.proposal };
    if ('rejected' in r) {
      this.record(incident, base, { options: [], choice: 'reject', why: r.rejected, action: null, outcome: `not run; the model said ${JSON.stringify(r.raw).slice(0, 500)}`, undo: null });
    } else {
      if (r.rateLimited) this.backOffModel(15 * 60_000);
      this.record(incident, base, { options: [], choice: 'none', why: `no playbook covers ${issue.key}; the model was unavailable: ${r.unavailable}`, action: null, outcome: 'nothing done', undo: null });
    }
    incident.state = 'idle';
    return null;
  }

  // ---- act or ask ----

  private async act(incident: Incident, p: Proposal, why: string, base: Base): Promise<void> {
    incident.actions++;
    this.budget.spend();
    let outcome: string;
    let haltId: string | null = null;
    try {
      const r = await this.kernel.invoke(AGENT_CALLER, p.op, p.input, { surface: 'agent' });
      if (r.status === 'halted') {
        haltId = r.halt.haltId;
        outcome = 'halted by the pipeline: waiting for the owner';
      } else outcome = 'done';
    } catch (err) {
      const e = toOpError(err);
      outcome = `failed: ${e.code} ${e.message}`;
    }
    const acted = Date.now();
    const d = this.record(incident, base, {
      options: [p.label, ...(p.otherOptions ?? [])], choice: 'act', why, action: call(p), haltId, outcome,
      verification: outcome === 'done' ? 'pending' : null, undo: p.undo ?? null, actedAt: iso(acted), detectToActionMs: acted - Date.parse(base.detectedAt),
    });
    if (outcome === 'done') {
      incident.state = 'verifying';
      incident.beatsWaited = 0;
      await this.tell(`${p.label}: done`, say(this.config.personality, { what: `I did: ${p.label}.`, why: `${p.reason} (${why})`, next: `I will verify: ${p.verify}${p.undo ? ` Undo: ${p.undo.description}.` : ''}` }), 'info');
    } else if (haltId) incident.state = 'escalated';
    else await this.escalateDiagnosis(incident, { reason: `I tried to ${p.label.toLowerCase()} and it ${outcome}`, details: [base.observation] }, base, d);
  }

  private async escalate(incident: Incident, p: Proposal, why: string, base: Base, offerPromotion: boolean): Promise<void> {
    const choices: HaltChoice[] = [
      { option: p.label, runs: true },
      ...(offerPromotion ? [{ option: DO_IT_MYSELF, runs: true }] : []),
      ...(p.otherOptions ?? ['Ignore']).map((option) => ({ option, runs: false })),
    ];
    const reason = say(this.config.personality, { what: `${base.observation.replace(/^\w+: /, '')} Proposed: ${p.label}.`, why: `${p.reason} ${why}.` });
    await this.ask(incident, base, { op: p.op, input: p.input }, reason, choices, { why, undo: p.undo ?? null });
  }

  private async escalateDiagnosis(incident: Incident, dg: Diagnosis, base: Base, after?: Decision): Promise<void> {
    if (this.config.shadow) {
      this.record(incident, base, { options: [ACKNOWLEDGE], choice: 'would escalate', why: dg.reason, action: null, outcome: 'not run: shadow mode', undo: null });
      incident.state = 'idle';
      return;
    }
    if (base.level === 'low') return this.report(incident, null, dg.reason, base, dg.details);
    const reason = say(this.config.personality, { what: dg.reason, why: dg.details.join('\n') });
    await this.ask(incident, base, { op: 'agent.acknowledge', input: { incident: incident.key } }, reason, [{ option: ACKNOWLEDGE, runs: true }], { why: dg.reason, undo: null, after });
  }

  /** A halt made through the pipeline as the agent: the owner's chosen answer runs (or runs nothing). */
  private async ask(incident: Incident, base: Base, action: OpCall, reason: string, choices: HaltChoice[], x: { why: string; undo: Decision['undo']; after?: Decision }): Promise<void> {
    let haltId: string | null = null;
    let outcome: string;
    try {
      const r = await this.kernel.invoke(AGENT_CALLER, action.op, action.input, { surface: 'agent', forceHalt: true, haltQuestion: { reason, choices } });
      if (r.status === 'halted') {
        haltId = r.halt.haltId;
        outcome = 'waiting for the owner';
      } else outcome = 'ran without asking (unexpected)';
    } catch (err) {
      const e = toOpError(err);
      outcome = `could not ask: ${e.code} ${e.message}`;
    }
    const asked = Date.now();
    this.record(incident, base, {
      options: choices.map((c) => c.option), choice: 'escalate', why: x.why, action, haltId, outcome, undo: x.undo,
      actedAt: iso(asked), detectToActionMs: asked - Date.parse(base.detectedAt),
    });
    incident.state = 'escalated';
  }

  /** Low autonomy: say what was seen and what would help; change nothing. */
  private async report(incident: Incident, p: Proposal | null, why: string, base: Base, details: string[] = []): Promise<void> {
    const sent = await this.tell(base.observation.replace(/^\w+: /, ''), say(this.config.personality, {
      what: p ? `I would: ${p.label}.` : base.observation, why: [p?.reason ?? '', ...details].filter(Boolean).join('\n'), next: `Autonomy is ${base.level}: I only report. Do it yourself, or raise autonomy with 'fazt agent configure --autonomy medium'.`,
    }), 'warning');
    const acted = Date.now();
    this.record(incident, base, {
      options: p ? [p.label, ...(p.otherOptions ?? [])] : [], choice: 'report', why, action: p ? call(p) : null, outcome: `reported on ${sent} channel(s)`, undo: null,
      actedAt: iso(acted), detectToActionMs: acted - Date.parse(base.detectedAt),
    });
    incident.state = 'reported';
  }

  private async runInternal(incident: Incident, a: { description: string; run: () => Promise<string> | string }, base: Base): Promise<void> {
    const choice = this.config.shadow ? 'would act' : base.level === 'low' ? 'report' : 'act';
    let outcome = 'not run: shadow mode';
    if (choice === 'report') {
      const sent = await this.tell(base.observation.replace(/^\w+: /, ''), `I would: ${a.description}. Autonomy is low: I only report.`, 'warning');
      outcome = `reported on ${sent} channel(s)`;
    } else if (choice === 'act') {
      try {
        outcome = `done: ${await a.run()}`;
      } catch (err) {
        outcome = `failed: ${(err as Error).message}`;
      }
    }
    const acted = Date.now();
    this.record(incident, base, { options: [a.description], choice, why: 'handled inside the agent; nothing on the server changes', action: null, outcome, undo: null, actedAt: iso(acted), detectToActionMs: acted - Date.parse(base.detectedAt) });
    incident.state = 'idle';
  }

  /** Sends to the agent's channels (all when none are chosen); returns how many it went to. */
  private tell(title: string, body: string, severity: 'info' | 'warning' | 'critical'): Promise<number> {
    return tell(this.kernel, this.config, title, body, severity);
  }

  private record(incident: Incident, base: Base, d: Partial<NewDecision> & Pick<NewDecision, 'options' | 'choice' | 'why' | 'action' | 'outcome' | 'undo'>): Decision {
    const dec = this.journal.add({ haltId: null, verification: null, actedAt: null, detectToActionMs: null, ...base, ...d });
    incident.decisionId = dec.id;
    this.kernel.events.emit({ type: 'system.agent.decision', source: 'system', data: { id: dec.id, incident: dec.incident, kind: dec.kind, choice: dec.choice, outcome: dec.outcome, haltId: dec.haltId } });
    return dec;
  }

  // ---- verify and learn ----

  private async verify(incident: Incident, beat: { metrics: Record<string, unknown>; analysis: { issues: { key: string }[] } }): Promise<void> {
    const pb: Playbook | undefined = PLAYBOOKS.find((p) => p.name === incident.playbook);
    const issues = beat.analysis.issues;
    const verdict = pb?.check ? pb.check(this.context(), incident.subject, { metrics: beat.metrics as never, issues }) : [...incident.keys].some((k) => issues.some((i) => i.key === k)) ? 'pending' : 'ok';
    if (verdict === 'ok') return this.verified(incident, `ok: ${pb?.verify ?? 'the issue is gone'}`);
    if (verdict === 'pending') {
      if (++incident.beatsWaited >= VERIFY_BEATS && incident.decisionId) {
        this.journal.update(incident.decisionId, { verification: `unverified: no verdict after ${VERIFY_BEATS} beats` });
        incident.state = 'idle';
      }
      return;
    }
    await this.verificationFailed(incident);
  }

  private verified(incident: Incident, text: string): void {
    if (incident.decisionId) this.journal.update(incident.decisionId, { verification: text });
    incident.state = 'idle';
  }

  /** The action did not help: undo it where an undo exists, take back any promotion, and ask the owner. */
  private async verificationFailed(incident: Incident): Promise<void> {
    const dec = incident.decisionId ? this.journal.get(incident.decisionId) : undefined;
    if (!dec) return;
    incident.state = 'escalated';
    this.journal.update(dec.id, { verification: 'failed: the issue continued after the action' });
    let undone = '';
    if (dec.undo) {
      try {
        const r = await this.kernel.invoke(AGENT_CALLER, dec.undo.op, dec.undo.input, { surface: 'agent' });
        if (r.status === 'ok') {
          this.journal.update(dec.id, { undone: true });
          undone = ` I undid it (${dec.undo.description}).`;
        } else undone = ` Undoing it needs your approval (halt ${r.halt.haltId}).`;
      } catch (err) {
        undone = ` Undoing it failed: ${toOpError(err).message}.`;
      }
    }
    let demoted = '';
    const pref = dec.action ? this.preferences.get(dec.kind, dec.subject, dec.action.op) : undefined;
    if (pref?.promoted && dec.action) {
      this.preferences.demote(dec.kind, dec.subject, dec.action.op, `verification failed after ${dec.action.op} on ${iso(Date.now())}`);
      demoted = ` I will ask you again before doing ${dec.action.op} for ${dec.subject} (it did not work this time).`;
    }
    const base: Base = { incident: dec.incident, issueKey: dec.issueKey, beatId: null, kind: dec.kind, subject: dec.subject, app: dec.app, level: dec.level, shadow: false, observation: dec.observation, detectedAt: iso(Date.now()) };
    const what = dec.action ? `${dec.action.op} ${JSON.stringify(dec.action.input)}` : 'my action';
    await this.escalateDiagnosis(incident, { reason: `I ran ${what} but ${dec.subject} is still failing.${undone}${demoted}`, details: [dec.observation] }, base);
  }
}

function call(p: Proposal): OpCall {
  return { op: p.op, input: p.input };
}
