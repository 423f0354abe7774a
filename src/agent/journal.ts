import { randomBytes } from 'node:crypto';
import type { DB } from '../store/db.js';
import { redact } from '../audit/redact.js';

export const RETENTION_MS = 90 * 86_400_000;

export interface OpCall {
  op: string;
  input: Record<string, unknown>;
}

/** One decision: what was seen, what was considered, what was chosen and why, and how it turned out. */
export interface Decision {
  id: string;
  at: string;
  incident: string;
  issueKey: string;
  beatId: number | null;
  kind: string;
  subject: string;
  app: string | null;
  level: string;
  shadow: boolean;
  observation: string;
  options: string[];
  /** act, escalate, report, reject, suppressed, none (each may be prefixed "would " in shadow mode). */
  choice: string;
  why: string;
  action: OpCall | null;
  haltId: string | null;
  outcome: string;
  verification: string | null;
  undo: (OpCall & { description: string }) | null;
  undone: boolean;
  recurred: boolean;
  detectedAt: string;
  actedAt: string | null;
  detectToActionMs: number | null;
  resolvedAt: string | null;
}

interface Row {
  id: string; at: string; incident: string; issue_key: string; beat_id: number | null; kind: string; subject: string; app: string | null;
  level: string; shadow: number; observation: string; options: string; choice: string; why: string; action: string | null; halt_id: string | null;
  outcome: string; verification: string | null; undo: string | null; undone: number; recurred: number; detected_at: string; acted_at: string | null;
  detect_to_action_ms: number | null; resolved_at: string | null;
}

function fromRow(r: Row): Decision {
  return {
    id: r.id, at: r.at, incident: r.incident, issueKey: r.issue_key, beatId: r.beat_id, kind: r.kind, subject: r.subject, app: r.app,
    level: r.level, shadow: !!r.shadow, observation: r.observation, options: JSON.parse(r.options), choice: r.choice, why: r.why,
    action: r.action ? JSON.parse(r.action) : null, haltId: r.halt_id, outcome: r.outcome, verification: r.verification,
    undo: r.undo ? JSON.parse(r.undo) : null, undone: !!r.undone, recurred: !!r.recurred, detectedAt: r.detected_at,
    actedAt: r.acted_at, detectToActionMs: r.detect_to_action_ms, resolvedAt: r.resolved_at,
  };
}

export type NewDecision = Omit<Decision, 'id' | 'at' | 'undone' | 'recurred' | 'resolvedAt'>;

export interface DecisionQuery {
  since?: string;
  app?: string;
  kind?: string;
  q?: string;
  limit?: number;
}

const COLUMNS: Record<string, string> = {
  outcome: 'outcome', verification: 'verification', haltId: 'halt_id', actedAt: 'acted_at', detectToActionMs: 'detect_to_action_ms',
  undone: 'undone', recurred: 'recurred', resolvedAt: 'resolved_at', choice: 'choice', why: 'why', action: 'action',
};

/** The agent's memory of what it decided, kept 90 days. */
export class Journal {
  constructor(private readonly db: DB) {}

  add(d: NewDecision): Decision {
    const id = 'dec_' + randomBytes(6).toString('hex');
    const at = new Date().toISOString();
    this.db
      .prepare(`INSERT INTO agent_decisions (id, at, incident, issue_key, beat_id, kind, subject, app, level, shadow, observation, options, choice, why,
        action, halt_id, outcome, verification, undo, detected_at, acted_at, detect_to_action_ms)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
      .run(id, at, d.incident, d.issueKey, d.beatId, d.kind, d.subject, d.app, d.level, d.shadow ? 1 : 0, d.observation, JSON.stringify(d.options),
        d.choice, d.why, d.action ? JSON.stringify({ op: d.action.op, input: redact(d.action.input) }) : null, d.haltId, d.outcome, d.verification,
        d.undo ? JSON.stringify(d.undo) : null, d.detectedAt, d.actedAt, d.detectToActionMs);
    return this.get(id)!;
  }

  update(id: string, patch: Partial<Pick<Decision, 'outcome' | 'verification' | 'haltId' | 'actedAt' | 'detectToActionMs' | 'undone' | 'recurred' | 'resolvedAt' | 'choice' | 'why' | 'action'>>): void {
    const sets: string[] = [];
    const args: unknown[] = [];
    for (const [k, v] of Object.entries(patch)) {
      sets.push(`${COLUMNS[k]} = ?`);
      args.push(typeof v === 'boolean' ? (v ? 1 : 0) : k === 'action' ? JSON.stringify(v) : v);
    }
    if (sets.length) this.db.prepare(`UPDATE agent_decisions SET ${sets.join(', ')} WHERE id = ?`).run(...args, id);
  }

  get(id: string): Decision | undefined {
    const r = this.db.prepare('SELECT * FROM agent_decisions WHERE id = ?').get(id) as Row | undefined;
    return r && fromRow(r);
  }

  byHalt(haltId: string): Decision | undefined {
    const r = this.db.prepare('SELECT * FROM agent_decisions WHERE halt_id = ?').get(haltId) as Row | undefined;
    return r && fromRow(r);
  }

  /** The latest decision about an incident closed at or after `sinceIso` (did it come back?). */
  lastFor(incident: string, sinceIso: string): Decision | undefined {
    const r = this.db.prepare('SELECT * FROM agent_decisions WHERE incident = ? AND at >= ? ORDER BY at DESC LIMIT 1').get(incident, sinceIso) as Row | undefined;
    return r && fromRow(r);
  }

  query(q: DecisionQuery & { sinceIso?: string }): Decision[] {
    const where: string[] = [];
    const args: unknown[] = [];
    if (q.sinceIso) (where.push('at >= ?'), args.push(q.sinceIso));
    if (q.app) (where.push('app = ?'), args.push(q.app));
    if (q.kind) (where.push('kind = ?'), args.push(q.kind));
    if (q.q) {
      where.push("(observation LIKE ? ESCAPE '\\' OR why LIKE ? ESCAPE '\\' OR issue_key LIKE ? ESCAPE '\\' OR outcome LIKE ? ESCAPE '\\')");
      const like = `%${q.q.replace(/[\\%_]/g, (c) => '\\' + c)}%`;
      args.push(like, like, like, like);
    }
    const sql = `SELECT * FROM agent_decisions ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY at DESC, rowid DESC LIMIT ?`;
    return (this.db.prepare(sql).all(...args, q.limit ?? 50) as Row[]).map(fromRow);
  }

  /** Actions taken alone on an incident since a time (survives restarts, unlike the in-memory count). */
  actsOn(incident: string, sinceIso: string): number {
    return (this.db.prepare("SELECT COUNT(*) AS n FROM agent_decisions WHERE incident = ? AND at >= ? AND choice = 'act' AND action IS NOT NULL").get(incident, sinceIso) as { n: number }).n;
  }

  /** When the agent acted (not in shadow) since a time, oldest first: the hourly budget's memory across restarts. */
  actedSince(sinceIso: string): number[] {
    const rows = this.db.prepare("SELECT acted_at FROM agent_decisions WHERE choice = 'act' AND action IS NOT NULL AND acted_at >= ? ORDER BY acted_at").all(sinceIso) as { acted_at: string }[];
    return rows.map((r) => Date.parse(r.acted_at));
  }

  count(): number {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM agent_decisions').get() as { n: number }).n;
  }

  prune(now = Date.now()): number {
    return this.db.prepare('DELETE FROM agent_decisions WHERE at < ?').run(new Date(now - RETENTION_MS).toISOString()).changes;
  }
}
