import type { DB } from '../store/db.js';
import { statusFloor } from './filter.js';
import { levelsFrom } from './levels.js';
import type { AccessLine, LogFilter, LogLine } from './types.js';

export const DEFAULT_LIMIT = 100;
export const MAX_LIMIT = 1000;

/** `%` and `_` in a user's text are literal: escaped for LIKE … ESCAPE '\'. */
export function likeContains(text: string): string {
  return '%' + text.replace(/[\\%_]/g, (c) => '\\' + c) + '%';
}

function common(f: LogFilter, where: string[], args: unknown[]): void {
  if (f.appId) (where.push('app_id = ?'), args.push(f.appId));
  if (f.since) (where.push('at >= ?'), args.push(f.since));
  if (f.until) (where.push('at <= ?'), args.push(f.until));
}

function limitOf(f: LogFilter): number {
  return Math.max(1, Math.min(f.limit ?? DEFAULT_LIMIT, MAX_LIMIT));
}

/** Newest first; every value is a bound parameter. */
export function queryLogs(db: DB, f: LogFilter): LogLine[] {
  const where: string[] = [];
  const args: unknown[] = [];
  common(f, where, args);
  if (f.level && f.level !== 'debug') {
    const levels = levelsFrom(f.level);
    where.push(`level IN (${levels.map(() => '?').join(', ')})`);
    args.push(...levels);
  }
  if (f.grep) {
    where.push("(message LIKE ? ESCAPE '\\' OR fields LIKE ? ESCAPE '\\')");
    args.push(likeContains(f.grep), likeContains(f.grep));
  }
  const sql = `SELECT id, at, app_id, level, message, fields, request_id FROM logs
    ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY id DESC LIMIT ?`;
  const rows = db.prepare(sql).all(...args, limitOf(f)) as Record<string, unknown>[];
  return rows.map((r) => ({
    id: r.id as number,
    at: r.at as string,
    appId: (r.app_id as string) ?? null,
    level: r.level as LogLine['level'],
    message: r.message as string,
    fields: r.fields ? (JSON.parse(r.fields as string) as Record<string, unknown>) : null,
    requestId: (r.request_id as string) ?? null,
  }));
}

export function queryAccess(db: DB, f: LogFilter): AccessLine[] {
  const where: string[] = [];
  const args: unknown[] = [];
  common(f, where, args);
  const floor = statusFloor(f.level);
  if (floor) (where.push('status >= ?'), args.push(floor));
  if (f.grep) (where.push("path LIKE ? ESCAPE '\\'"), args.push(likeContains(f.grep)));
  const sql = `SELECT * FROM access_logs ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY id DESC LIMIT ?`;
  const rows = db.prepare(sql).all(...args, limitOf(f)) as Record<string, unknown>[];
  return rows.map((r) => ({
    id: r.id as number,
    at: r.at as string,
    appId: (r.app_id as string) ?? null,
    slug: r.slug as string,
    kind: r.kind as string,
    method: r.method as string,
    path: r.path as string,
    status: r.status as number,
    durationMs: r.duration_ms as number,
    bytes: r.bytes as number,
    requestId: (r.request_id as string) ?? null,
    hits: r.hits as number,
  }));
}
