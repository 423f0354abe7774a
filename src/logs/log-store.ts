import type { ObservedRequest } from '../kernel/request-observer.js';
import { BatchWriter } from '../store/batch-writer.js';
import type { DB } from '../store/db.js';
import type { LogInput, LogLevel, LogsApi } from './api.js';
import { accessPath, clipMessage, serializeFields } from './fields.js';
import { DEFAULT_BUDGET, LogBudget, type LogBudgetLimits } from './log-budget.js';
import { lineMatches } from './filter.js';
import { isLevel } from './levels.js';
import { queryAccess, queryLogs } from './log-query.js';
import { deleteOlderThan, enforceByteCap, enforceRowCap, type Deleted } from './retention.js';
import { StaticHits } from './static-hits.js';
import type { AccessLine, FollowedLine, LogFilter, LogLine } from './types.js';

type LogRow = [id: number, at: string, appId: string | null, level: LogLevel, message: string, fields: string | null, requestId: string | null];
type AccessRow = [number, string, string | null, string, string, string, string, number, number, number, string | null, number];

interface Follower {
  filter: LogFilter;
  fn: (item: FollowedLine) => void;
}

/**
 * The logs store. Writes only push onto an in-memory batch (one transaction per
 * burst); ids are assigned here so live followers and queries agree on them.
 */
export class LogStore implements LogsApi {
  private nextLogId: number;
  private nextAccessId: number;
  private readonly logs: BatchWriter<LogRow>;
  private readonly access: BatchWriter<AccessRow>;
  private readonly followers = new Set<Follower>();
  private readonly staticHits = new StaticHits();
  private hitsTimer: NodeJS.Timeout | null = null;
  private closed = false;
  readonly budget: LogBudget;

  /**
   * `staticHitsWindowMs` 0 writes one row per static hit too (or per count of
   * hits, as the static server reports them). `pull` makes producers hand over
   * requests they hold back, before anything is read.
   */
  constructor(
    private readonly db: DB,
    private readonly staticHitsWindowMs = 10_000,
    budget: LogBudgetLimits = DEFAULT_BUDGET,
    private readonly pull: () => void = () => {},
  ) {
    this.budget = new LogBudget(budget);
    this.nextLogId = maxId(db, 'logs') + 1;
    this.nextAccessId = maxId(db, 'access_logs') + 1;
    const insertLog = db.prepare('INSERT INTO logs (id, at, app_id, level, message, fields, request_id) VALUES (?, ?, ?, ?, ?, ?, ?)');
    const insertAccess = db.prepare(
      `INSERT INTO access_logs (id, at, app_id, slug, kind, method, path, status, duration_ms, bytes, request_id, hits)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const logTx = db.transaction((rows: LogRow[]) => {
      for (const r of rows) insertLog.run(r);
    });
    const accessTx = db.transaction((rows: AccessRow[]) => {
      for (const r of rows) insertAccess.run(r);
    });
    this.logs = new BatchWriter((rows) => this.safely('logs', () => logTx(rows)), { maxRows: 1000, maxDelayMs: 100 });
    this.access = new BatchWriter((rows) => this.safely('access logs', () => accessTx(rows)), { maxRows: 1000, maxDelayMs: 100 });
  }

  write(entry: LogInput): void {
    if (this.closed) return;
    this.pushLog(this.toRow(entry));
  }

  appLog(entry: LogInput): void {
    if (this.closed) return;
    const row = this.toRow(entry);
    const bytes = Buffer.byteLength(row[4]) + (row[5]?.length ?? 0);
    for (const e of this.budget.admit(entry, bytes, Date.now())) {
      if (e === entry) this.pushLog(row);
      else this.write(e);
    }
  }

  private toRow(entry: LogInput): LogRow {
    const level: LogLevel = isLevel(entry.level) ? entry.level : 'info';
    return [this.nextLogId++, new Date().toISOString(), entry.appId || null, level, clipMessage(entry.message), serializeFields(entry.fields), entry.requestId ?? null];
  }

  private pushLog(row: LogRow): void {
    this.logs.push(row);
    if (this.followers.size) this.publish({ kind: 'app', line: toLogLine(row) });
  }

  /** Hot path of every request: a counter bump (static hits) or one array push. */
  recordRequest(r: ObservedRequest): void {
    if (this.closed) return;
    if (r.kind === 'api' && r.appId) for (const e of this.budget.end(r.appId, r.requestId)) this.write(e);
    if (this.staticHitsWindowMs > 0 && this.staticHits.add(r)) {
      if (!this.hitsTimer) {
        this.hitsTimer = setTimeout(() => this.drainHits(), this.staticHitsWindowMs);
        this.hitsTimer.unref();
      }
      return;
    }
    const row: AccessRow = [
      this.nextAccessId++,
      new Date().toISOString(),
      r.appId,
      r.slug,
      r.kind,
      r.method,
      accessPath(r.path),
      r.status,
      r.durationMs,
      r.bytes * (r.count ?? 1),
      r.requestId || null,
      r.count ?? 1,
    ];
    this.pushAccess(row);
  }

  flush(): void {
    this.pull();
    this.drainHits();
    this.logs.flush();
    this.access.flush();
  }

  /** Turns the counted static hits into access rows (one per path, status and window). */
  private drainHits(): void {
    if (this.hitsTimer) clearTimeout(this.hitsTimer);
    this.hitsTimer = null;
    for (const g of this.staticHits.drain()) {
      this.pushAccess([this.nextAccessId++, g.at, g.appId, g.slug, 'static', g.method, g.path, g.status, g.durationSum / g.hits, g.bytes, null, g.hits]);
    }
  }

  private pushAccess(row: AccessRow): void {
    this.access.push(row);
    if (this.followers.size) this.publish({ kind: 'access', line: toAccessLine(row) });
  }

  /** Lines written after this call that match `filter`, until the returned function is called. */
  follow(filter: LogFilter, fn: (item: FollowedLine) => void): () => void {
    const f: Follower = { filter, fn };
    this.followers.add(f);
    return () => this.followers.delete(f);
  }

  get followerCount(): number {
    return this.followers.size;
  }

  queryLogs(filter: LogFilter): LogLine[] {
    this.flush();
    return queryLogs(this.db, { ...filter, kind: 'app' });
  }

  queryAccess(filter: LogFilter): AccessLine[] {
    this.flush();
    return queryAccess(this.db, { ...filter, kind: 'access' });
  }

  /** Deletes lines older than `beforeIso` (buffered lines are written first so none escape). */
  cleanup(beforeIso: string, appId?: string): Deleted {
    this.flush();
    return deleteOlderThan(this.db, beforeIso, appId);
  }

  /** Keeps the app log lines within `maxBytes` (messages and fields, plus a per-row overhead), newest first. */
  enforceByteCap(maxBytes: number): Deleted {
    this.flush();
    return enforceByteCap(this.db, maxBytes);
  }

  enforceCap(maxRows: number): Deleted {
    this.flush();
    return enforceRowCap(this.db, maxRows);
  }

  get pending(): number {
    return this.logs.pending + this.access.pending;
  }

  /** Flushes and refuses further writes (the database is about to close). */
  close(): void {
    this.flush();
    this.closed = true;
    this.followers.clear();
  }

  private publish(item: FollowedLine): void {
    for (const f of this.followers) {
      if (!lineMatches(f.filter, item)) continue;
      try {
        f.fn(item);
      } catch {
        /* a follower must never fail a write */
      }
    }
  }

  private safely(what: string, fn: () => void): void {
    try {
      fn();
    } catch (err) {
      // Losing a batch of log lines must not take the server down (this runs on a timer).
      process.emitWarning(`could not write ${what}: ${(err as Error).message}`);
    }
  }
}

function maxId(db: DB, table: 'logs' | 'access_logs'): number {
  return (db.prepare(`SELECT COALESCE(MAX(id), 0) AS m FROM ${table}`).get() as { m: number }).m;
}

function toLogLine(r: LogRow): LogLine {
  return { id: r[0], at: r[1], appId: r[2], level: r[3], message: r[4], fields: r[5] ? JSON.parse(r[5]) : null, requestId: r[6] };
}

function toAccessLine(r: AccessRow): AccessLine {
  return {
    id: r[0], at: r[1], appId: r[2], slug: r[3], kind: r[4], method: r[5], path: r[6],
    status: r[7], durationMs: r[8], bytes: r[9], requestId: r[10], hits: r[11],
  };
}
