import { randomBytes } from 'node:crypto';
import type { Kernel } from '../kernel/kernel.js';
import { callRisk, type Caller, type HaltChoice, type Surface } from '../kernel/ops/define.js';
import { isPresentHuman } from '../kernel/ops/present-human.js';
import { OpError, toOpError } from '../kernel/ops/errors.js';
import { redact, redactTokens, redactTokensIn } from '../audit/redact.js';

export type HaltStatus = 'pending' | 'approved' | 'denied' | 'expired' | 'failed';

export interface Halt {
  id: string;
  op: string;
  input: unknown;
  caller: { kind: string; name: string; tokenId?: string };
  surface: Surface;
  reason: string;
  options: string[];
  /** Which options run the stored call; absent means every approval runs it. */
  choices?: HaltChoice[];
  status: HaltStatus;
  createdAt: string;
  expiresAt: string;
  decidedAt: string | null;
  decidedBy: string | null;
  decisionOption: string | null;
  result: unknown;
  error: { code: string; message: string } | null;
  /** What happens when nobody decides by the deadline. */
  defaultDecision: HaltDefault;
}

/** Deny at the deadline (destructive, costly), or proceed (the owner's choice for the agent's reversible writes). */
export type HaltDefault = 'deny' | 'proceed';

/** Setting: what a reversible write the agent asks about does when nobody answers ('deny' unless the owner chose 'proceed'). */
export const AGENT_WRITE_DEFAULT_KEY = 'halt.agentWriteDefault';

interface HaltRow {
  id: string; op: string; input: string; caller: string; surface: Surface; reason: string; options: string;
  status: HaltStatus; created_at: string; expires_at: string; decided_at: string | null; decided_by: string | null;
  decision_option: string | null; result: string | null; error: string | null; choices?: string | null; default_decision: HaltDefault;
}

function fromRow(r: HaltRow): Halt {
  const caller = JSON.parse(r.caller) as Caller;
  return {
    // What is shown never carries a token passed as a value; approval runs the stored input (see decide).
    id: r.id, op: r.op, input: redactTokensIn(JSON.parse(r.input)),
    caller: { kind: caller.kind, name: caller.name, ...(caller.tokenId ? { tokenId: caller.tokenId } : {}) },
    surface: r.surface, reason: redactTokens(r.reason), options: JSON.parse(r.options),
    ...(r.choices ? { choices: JSON.parse(r.choices) as HaltChoice[] } : {}), status: r.status,
    createdAt: r.created_at, expiresAt: r.expires_at, decidedAt: r.decided_at, decidedBy: r.decided_by,
    decisionOption: r.decision_option, result: r.result ? JSON.parse(r.result) : null, error: r.error ? JSON.parse(r.error) : null,
    defaultDecision: r.default_decision ?? 'deny',
  };
}

function sameCaller(a: Caller, b: Caller): boolean {
  return a.kind === b.kind && a.name === b.name && a.tokenId === b.tokenId && a.appId === b.appId;
}

/** Deferred destructive/costly calls, persisted until a human decides or they expire (default deny). */
export class HaltQueue {
  /** Approvals whose stored call is running now (halt id → op): the only calls the gate lets through as approved. */
  private readonly running = new Map<string, string>();

  constructor(private readonly kernel: Kernel) {}

  /** True only while the owner's approval of `haltId` runs its stored op `op`. */
  isRunning(haltId: string, op: string): boolean {
    return this.running.get(haltId) === op;
  }

  private get db() {
    return this.kernel.db;
  }

  /** A repeat of a call still pending (same op, input and caller) returns that halt instead of queueing a twin. */
  create(h: { op: string; input: unknown; caller: Caller; surface: Surface; reason: string; options: string[]; choices?: HaltChoice[] }): Halt {
    const existing = this.pendingTwin(h.op, h.input, h.caller);
    if (existing) return existing;
    const id = 'halt_' + randomBytes(6).toString('hex');
    const now = Date.now();
    this.db
      .prepare(`INSERT INTO halts (id, op, input, caller, surface, reason, options, status, created_at, expires_at, choices, default_decision)
                VALUES (?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?, ?, ?)`)
      .run(id, h.op, JSON.stringify(h.input ?? {}), JSON.stringify(h.caller), h.surface, h.reason, JSON.stringify(h.options),
        new Date(now).toISOString(), new Date(now + this.kernel.config.haltTimeoutMs).toISOString(), h.choices?.length ? JSON.stringify(h.choices) : null,
        this.defaultFor(h.op, h.input, h.caller));
    const halt = this.get(id)!;
    this.kernel.events.emit({ type: 'system.halt.created', source: 'system', data: { id, op: h.op, reason: redactTokens(h.reason), caller: h.caller.name, input: redact(h.input) } });
    return halt;
  }

  private pendingTwin(op: string, input: unknown, caller: Caller): Halt | undefined {
    this.expireDue();
    const rows = this.db
      .prepare("SELECT * FROM halts WHERE status = 'pending' AND op = ? AND input = ? ORDER BY created_at")
      .all(op, JSON.stringify(input ?? {})) as HaltRow[];
    const row = rows.find((r) => sameCaller(JSON.parse(r.caller) as Caller, caller));
    return row && fromRow(row);
  }

  get(id: string): Halt | undefined {
    this.expireDue();
    const r = this.db.prepare('SELECT * FROM halts WHERE id = ?').get(id) as HaltRow | undefined;
    return r && fromRow(r);
  }

  list(status?: HaltStatus | 'all', limit = 100): Halt[] {
    this.expireDue();
    const rows = (status && status !== 'all'
      ? this.db.prepare('SELECT * FROM halts WHERE status = ? ORDER BY created_at DESC LIMIT ?').all(status, limit)
      : this.db.prepare('SELECT * FROM halts ORDER BY created_at DESC LIMIT ?').all(limit)) as HaltRow[];
    return rows.map(fromRow);
  }

  pendingStats(): { count: number; oldestAt: string | null } {
    this.expireDue();
    const r = this.db.prepare("SELECT COUNT(*) AS n, MIN(created_at) AS oldest FROM halts WHERE status = 'pending'").get() as { n: number; oldest: string | null };
    return { count: r.n, oldestAt: r.oldest };
  }

  /**
   * The decision a halt takes at its deadline, by risk class: destructive and
   * costly calls are denied; a reversible write the agent asked about does what
   * the owner chose (`halt.configure --agent-write-default proceed`), deny by default.
   */
  private defaultFor(op: string, input: unknown, caller: Caller): HaltDefault {
    const def = this.kernel.registry.get(op);
    if (!def || caller.kind !== 'agent' || callRisk(def, input, this.kernel) !== 'write') return 'deny';
    return this.kernel.settings.get<HaltDefault>(AGENT_WRITE_DEFAULT_KEY, 'deny') === 'proceed' ? 'proceed' : 'deny';
  }

  /** Applies each pending halt's default decision once its deadline passed: deny, or proceed (the stored call runs). */
  expireDue(): number {
    const now = new Date().toISOString();
    const due = this.db.prepare("SELECT id, op, default_decision FROM halts WHERE status = 'pending' AND expires_at <= ?").all(now) as { id: string; op: string; default_decision: HaltDefault }[];
    for (const d of due) {
      if (d.default_decision === 'proceed') {
        const claimed = this.db.prepare("UPDATE halts SET status = 'approved', decided_at = ?, decided_by = 'deadline (default: proceed)' WHERE id = ? AND status = 'pending'").run(now, d.id).changes;
        if (claimed) void this.runStored(d.id, d.op).then(() => this.emitDecided(d.id, d.op, 'deadline (default: proceed)'));
        continue;
      }
      const changed = this.db.prepare("UPDATE halts SET status = 'expired', decided_at = ?, decided_by = 'expiry' WHERE id = ? AND status = 'pending'").run(now, d.id).changes;
      if (changed) this.kernel.events.emit({ type: 'system.halt.decided', source: 'system', data: { id: d.id, op: d.op, status: 'expired', decidedBy: 'expiry' } });
    }
    return due.length;
  }

  private emitDecided(id: string, op: string, decidedBy: string, option?: string): void {
    const final = this.get(id)!;
    this.kernel.events.emit({ type: 'system.halt.decided', source: 'system', data: { id, op, status: final.status, decidedBy, option: option ?? final.decisionOption ?? undefined } });
  }

  /** Runs an approved halt's stored call as its original caller and keeps the result (or the error). */
  private async runStored(id: string, op: string): Promise<void> {
    const row = this.db.prepare('SELECT caller, input FROM halts WHERE id = ?').get(id) as { caller: string; input: string };
    const original = JSON.parse(row.caller) as Caller;
    this.running.set(id, op);
    try {
      const res = await this.kernel.invoke(original, op, JSON.parse(row.input), { surface: 'halt', approvedHaltId: id });
      const output = res.status === 'ok' ? res.output : res.halt;
      this.db.prepare('UPDATE halts SET result = ? WHERE id = ?').run(JSON.stringify(redact(output) ?? null), id);
    } catch (err) {
      const e = toOpError(err);
      this.db.prepare("UPDATE halts SET status = 'failed', error = ? WHERE id = ?").run(JSON.stringify({ code: e.code, message: e.message }), id);
    } finally {
      this.running.delete(id);
    }
  }

  /**
   * A human decides. Approval runs the stored op with the stored input as the
   * original caller (so capability checks still apply) and keeps its result.
   */
  async decide(id: string, decision: 'approve' | 'deny', decidedBy: Caller, option?: string): Promise<Halt> {
    const halt = this.get(id);
    if (!halt) throw new OpError('NOT_FOUND', `No halt '${id}'.`);
    if (halt.status !== 'pending') throw new OpError('CONFLICT', `Halt ${id} is already ${halt.status}.`, { status: halt.status });
    if (!isPresentHuman(decidedBy, 'halt')) throw new OpError('FORBIDDEN', `Only the owner in person can decide a halt: run 'fazt halt approve ${id}' or 'fazt halt deny ${id}' on the server.`);
    if (halt.caller.tokenId && decidedBy.tokenId === halt.caller.tokenId && decidedBy.kind !== 'owner') {
      throw new OpError('FORBIDDEN', 'A caller cannot approve its own halt.');
    }
    if (option !== undefined && !halt.options.includes(option)) {
      throw new OpError('BAD_INPUT', `Unknown option '${option}'. Options: ${halt.options.join(', ')}.`);
    }
    const now = new Date().toISOString();
    const status: HaltStatus = decision === 'approve' ? 'approved' : 'denied';
    const claimed = this.db
      .prepare("UPDATE halts SET status = ?, decided_at = ?, decided_by = ?, decision_option = ? WHERE id = ? AND status = 'pending'")
      .run(status, now, decidedBy.name, option ?? null, id).changes;
    if (!claimed) throw new OpError('CONFLICT', `Halt ${id} was decided by someone else.`);

    // With choices, the chosen answer says whether the stored call runs (the first option when none is named).
    const chosen = halt.choices?.find((c) => c.option === (option ?? halt.options[0]));
    if (decision === 'approve' && chosen && !chosen.runs) {
      this.db.prepare('UPDATE halts SET result = ?, decision_option = ? WHERE id = ?').run(JSON.stringify({ chosen: chosen.option, ran: false }), chosen.option, id);
    } else if (decision === 'approve') {
      if (chosen && option === undefined) this.db.prepare('UPDATE halts SET decision_option = ? WHERE id = ?').run(chosen.option, id);
      await this.runStored(id, halt.op);
    }
    this.emitDecided(id, halt.op, decidedBy.name, option);
    return this.get(id)!;
  }
}
