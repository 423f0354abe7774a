import type { DB } from '../store/db.js';

/** Approvals of the same action for the same kind of incident and subject before the agent offers to do it alone. */
export const PROMOTE_AFTER = 3;
/** How long a denial keeps the same proposal from being made again. */
export const SUPPRESS_MS = 24 * 3_600_000;

export interface Preference {
  kind: string;
  subject: string;
  op: string;
  approvals: number;
  promoted: boolean;
  suppressedUntil: string | null;
  note: string | null;
  updatedAt: string;
}

interface Row { kind: string; subject: string; op: string; approvals: number; promoted: number; suppressed_until: string | null; note: string | null; updated_at: string }

const fromRow = (r: Row): Preference => ({
  kind: r.kind, subject: r.subject, op: r.op, approvals: r.approvals, promoted: !!r.promoted, suppressedUntil: r.suppressed_until, note: r.note, updatedAt: r.updated_at,
});

/** The trust ladder: what the owner keeps approving, what they refused, and what they let the agent do alone. */
export class Preferences {
  constructor(private readonly db: DB) {}

  get(kind: string, subject: string, op: string): Preference | undefined {
    const r = this.db.prepare('SELECT * FROM agent_preferences WHERE kind = ? AND subject = ? AND op = ?').get(kind, subject, op) as Row | undefined;
    return r && fromRow(r);
  }

  private upsert(kind: string, subject: string, op: string, set: { approvals?: number; promoted?: boolean; suppressedUntil?: string | null; note?: string | null }): Preference {
    const cur = this.get(kind, subject, op) ?? { approvals: 0, promoted: false, suppressedUntil: null, note: null };
    const next = { ...cur, ...set };
    this.db
      .prepare(`INSERT INTO agent_preferences (kind, subject, op, approvals, promoted, suppressed_until, note, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (kind, subject, op) DO UPDATE SET approvals = excluded.approvals, promoted = excluded.promoted,
        suppressed_until = excluded.suppressed_until, note = excluded.note, updated_at = excluded.updated_at`)
      .run(kind, subject, op, next.approvals, next.promoted ? 1 : 0, next.suppressedUntil, next.note, new Date().toISOString());
    return this.get(kind, subject, op)!;
  }

  approved(kind: string, subject: string, op: string): Preference {
    const cur = this.get(kind, subject, op);
    return this.upsert(kind, subject, op, { approvals: (cur?.approvals ?? 0) + 1, suppressedUntil: null });
  }

  /** A denial resets the count and keeps the same proposal quiet for a while. */
  denied(kind: string, subject: string, op: string, now = Date.now()): Preference {
    return this.upsert(kind, subject, op, { approvals: 0, suppressedUntil: new Date(now + SUPPRESS_MS).toISOString(), note: 'denied by the owner' });
  }

  promote(kind: string, subject: string, op: string): Preference {
    return this.upsert(kind, subject, op, { promoted: true, note: 'the owner said: do this yourself next time' });
  }

  demote(kind: string, subject: string, op: string, why: string): Preference {
    return this.upsert(kind, subject, op, { promoted: false, approvals: 0, note: why });
  }

  isSuppressed(p: Preference | undefined, now = Date.now()): boolean {
    return !!p?.suppressedUntil && Date.parse(p.suppressedUntil) > now;
  }

  list(): Preference[] {
    return (this.db.prepare('SELECT * FROM agent_preferences ORDER BY updated_at DESC').all() as Row[]).map(fromRow);
  }

  forget(f: { kind?: string; subject?: string; op?: string }): number {
    const where: string[] = [];
    const args: string[] = [];
    for (const [k, v] of Object.entries(f)) if (v !== undefined) (where.push(`${k} = ?`), args.push(v));
    return this.db.prepare(`DELETE FROM agent_preferences ${where.length ? 'WHERE ' + where.join(' AND ') : ''}`).run(...args).changes;
  }
}
