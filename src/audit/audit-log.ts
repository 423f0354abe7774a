import type { DB } from '../store/db.js';
import type { Caller, Surface } from '../kernel/ops/define.js';
import { BatchWriter } from '../store/batch-writer.js';
import { AuthFailureRecorder, SUPPRESSED_OP, type AuthFailureRow } from './auth-failures.js';
import { redact } from './redact.js';

/** `unauthenticated`: no valid credentials at all (written by the surface); `denied`: a known caller refused. */
export type Outcome = 'ok' | 'error' | 'halted' | 'denied' | 'canceled' | 'unauthenticated';
export const OUTCOMES = ['ok', 'error', 'halted', 'denied', 'canceled', 'unauthenticated'] as const;

export interface AuditEntry {
  op: string;
  caller: Caller;
  surface: Surface;
  session?: { id?: string; client?: string };
  input: unknown;
  outcome: Outcome;
  errorCode?: string;
  durationMs: number;
  requestId?: string;
  haltId?: string;
}

export interface AuditRow {
  id: number;
  at: string;
  caller: string;
  callerKind: string;
  surface: string;
  session: { id?: string; client?: string } | null;
  op: string;
  input: unknown;
  outcome: Outcome;
  errorCode: string | null;
  durationMs: number;
  requestId: string | null;
  haltId: string | null;
}

export interface AuditQuery {
  since?: string;
  until?: string;
  op?: string;
  caller?: string;
  surface?: string;
  outcome?: string;
  limit?: number;
}

/** How long a successful read's row may wait, and how many may wait, before they are written. */
const FLUSH_MS = 20;
const MAX_QUEUED = 500;

type RowValues = [string, string, string, string, string | null, string, string, string, string | null, number, string | null, string | null];

/**
 * One row per invocation. A call that changed something, failed or was refused
 * is written before its result goes out, so a crash cannot lose its record. A
 * successful read is queued and written with the others of the next few
 * milliseconds in one transaction, after the answer is on its way: a read
 * changes nothing, and its row then costs the caller no latency and the
 * server a fraction of a commit. Reading the log writes the queue first; a
 * stop writes it; only a hard crash can lose the last few ms of reads.
 */
export class AuditLog {
  private readonly insert;
  private readonly reads: BatchWriter<RowValues>;
  /** Refused authentications: rows within a per-client budget, summaries past it. */
  readonly authFailures: AuthFailureRecorder;

  constructor(private readonly db: DB) {
    this.insert = db.prepare(
      `INSERT INTO audit (at, caller, caller_kind, surface, session, op, input, outcome, error_code, duration_ms, request_id, halt_id)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const insertAll = db.transaction((rows: RowValues[]) => {
      for (const r of rows) this.insert.run(...r);
    });
    // Written from a timer too: a failure (the database locked past busy_timeout) must not take the server down.
    const writeReads = (rows: RowValues[]) => {
      try {
        insertAll(rows);
      } catch (err) {
        process.emitWarning(`audit: ${rows.length} read row(s) could not be written: ${(err as Error).message}`);
      }
    };
    this.reads = new BatchWriter(writeReads, { maxRows: MAX_QUEUED, maxDelayMs: FLUSH_MS });
    this.authFailures = new AuthFailureRecorder((row) => {
      this.reads.flush();
      this.insert.run(...authFailureValues(row));
    });
  }

  /** Writes a row now, or with `deferred` within FLUSH_MS (successful reads). */
  record(e: AuditEntry, deferred = false): void {
    const row: RowValues = [
      new Date().toISOString(),
      e.caller.name,
      e.caller.kind,
      e.surface,
      e.session ? JSON.stringify(e.session) : null,
      e.op,
      JSON.stringify(redact(e.input) ?? null),
      e.outcome,
      e.errorCode ?? null,
      e.durationMs,
      e.requestId ?? null,
      e.haltId ?? null,
    ];
    if (deferred) return this.reads.push(row);
    this.reads.flush();
    this.insert.run(...row);
  }

  /** Writes queued rows (in the order they were recorded) and the count of held-back authentication failures. */
  flush(): void {
    this.reads.flush();
    this.authFailures.flush();
  }

  query(q: AuditQuery): AuditRow[] {
    this.flush();
    const where: string[] = [];
    const args: unknown[] = [];
    if (q.since) (where.push('at >= ?'), args.push(q.since));
    if (q.until) (where.push('at <= ?'), args.push(q.until));
    if (q.op) {
      if (q.op.endsWith('*')) (where.push('op LIKE ?'), args.push(q.op.slice(0, -1).replace(/[%_]/g, '') + '%'));
      else (where.push('op = ?'), args.push(q.op));
    }
    if (q.caller) (where.push('caller = ?'), args.push(q.caller));
    if (q.surface) (where.push('surface = ?'), args.push(q.surface));
    if (q.outcome) (where.push('outcome = ?'), args.push(q.outcome));
    const sql = `SELECT * FROM audit ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY id DESC LIMIT ?`;
    args.push(Math.min(q.limit ?? 100, 1000));
    return (this.db.prepare(sql).all(...args) as Record<string, unknown>[]).map((r) => ({
      id: r.id as number,
      at: r.at as string,
      caller: r.caller as string,
      callerKind: r.caller_kind as string,
      surface: r.surface as string,
      session: r.session ? JSON.parse(r.session as string) : null,
      op: r.op as string,
      input: r.input ? JSON.parse(r.input as string) : null,
      outcome: r.outcome as Outcome,
      errorCode: (r.error_code as string) ?? null,
      durationMs: r.duration_ms as number,
      requestId: (r.request_id as string) ?? null,
      haltId: (r.halt_id as string) ?? null,
    }));
  }

  /** Refused authentications since a time, held-back ones included, and the addresses they came from (most first). */
  authFailuresSince(since: string): { total: number; byIp: { ip: string; count: number }[] } {
    this.flush();
    const rows = this.db
      .prepare(
        `SELECT json_extract(input, '$.ip') AS ip,
                SUM(CASE WHEN op = ? THEN json_extract(input, '$.suppressed') ELSE 1 END) AS n
         FROM audit WHERE at >= ? AND outcome = 'unauthenticated' GROUP BY ip ORDER BY n DESC`,
      )
      .all(SUPPRESSED_OP, since) as { ip: string | null; n: number }[];
    const byIp = rows.map((r) => ({ ip: r.ip ?? 'unknown', count: r.n }));
    return { total: byIp.reduce((t, r) => t + r.count, 0), byIp };
  }

  /** Denied calls since a time: pulse's safety collector reads this. */
  countSince(since: string, outcome: Outcome): number {
    this.flush();
    return (this.db.prepare('SELECT COUNT(*) AS n FROM audit WHERE at >= ? AND outcome = ?').get(since, outcome) as { n: number }).n;
  }
}

const MAX_OP = 200;

function authFailureValues(row: AuthFailureRow): RowValues {
  const at = new Date().toISOString();
  if (row.kind === 'summary') {
    const input = { ip: row.ip, suppressed: row.suppressed, reasons: row.reasons, from: row.from, to: row.to };
    return [at, 'anonymous', 'anonymous', 'system', null, SUPPRESSED_OP, JSON.stringify(redact(input)), 'unauthenticated', 'UNAUTHENTICATED', 0, null, null];
  }
  const f = row.failure;
  // The op name is whatever the client put in the URL: bounded, and redacted like any value.
  const op = String(redact(f.op.slice(0, MAX_OP)));
  return [at, 'anonymous', 'anonymous', f.surface, null, op, JSON.stringify(redact({ reason: f.reason, ip: f.ip })), 'unauthenticated', 'UNAUTHENTICATED', 0, f.requestId ?? null, null];
}
