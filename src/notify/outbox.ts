import type { DB } from '../store/db.js';
import type { Message } from './channels/types.js';

export type DeliveryStatus = 'pending' | 'sent' | 'failed';

export interface Delivery {
  id: number;
  messageId: string;
  channel: string;
  title: string;
  severity: Message['severity'];
  status: DeliveryStatus;
  attempts: number;
  nextAttemptAt: string | null;
  lastError: string | null;
  createdAt: string;
  sentAt: string | null;
}

export interface OutboxRow {
  id: number;
  message_id: string;
  channel: string;
  message: string;
  status: DeliveryStatus;
  attempts: number;
  next_attempt_at: string;
  last_attempt_at: string | null;
  last_error: string | null;
  created_at: string;
  sent_at: string | null;
}

/** How long a claimed row is held by one deliverer before another may try it (a crash mid-delivery). */
const LEASE_MS = 5 * 60_000;

export function toDelivery(r: OutboxRow): Delivery {
  const m = JSON.parse(r.message) as Message;
  return {
    id: r.id, messageId: r.message_id, channel: r.channel, title: m.title, severity: m.severity, status: r.status,
    attempts: r.attempts, nextAttemptAt: r.status === 'pending' ? r.next_attempt_at : null, lastError: r.last_error,
    createdAt: r.created_at, sentAt: r.sent_at,
  };
}

const iso = (ms: number) => new Date(ms).toISOString();

/** The notify_outbox table: a row per (message, channel), written before any delivery is tried. */
export class Outbox {
  constructor(private readonly db: DB) {}

  /** Writes one row per channel; a (message id, channel) pair already there is left as it is. */
  enqueue(message: Message, channels: string[], now: number): void {
    const ins = this.db.prepare(
      `INSERT OR IGNORE INTO notify_outbox (message_id, channel, message, status, attempts, next_attempt_at, created_at)
       VALUES (?, ?, ?, 'pending', 0, ?, ?)`,
    );
    const json = JSON.stringify(message);
    this.db.transaction(() => {
      for (const c of channels) ins.run(message.id, c, json, iso(now), iso(now));
    })();
  }

  rowsOf(messageId: string): OutboxRow[] {
    return this.db.prepare('SELECT * FROM notify_outbox WHERE message_id = ? ORDER BY channel').all(messageId) as OutboxRow[];
  }

  /** Pending rows due at `now`. */
  due(now: number, messageId?: string): OutboxRow[] {
    const sql = `SELECT * FROM notify_outbox WHERE status = 'pending' AND next_attempt_at <= ?${messageId ? ' AND message_id = ?' : ''} ORDER BY id`;
    return this.db.prepare(sql).all(...(messageId ? [iso(now), messageId] : [iso(now)])) as OutboxRow[];
  }

  /** Takes a row for one delivery attempt; false when another deliverer took it first. */
  claim(r: OutboxRow, now: number): boolean {
    return this.db
      .prepare("UPDATE notify_outbox SET next_attempt_at = ? WHERE id = ? AND status = 'pending' AND next_attempt_at = ?")
      .run(iso(now + LEASE_MS), r.id, r.next_attempt_at).changes === 1;
  }

  markSent(id: number, now: number, attempts: number): void {
    this.db
      .prepare("UPDATE notify_outbox SET status = 'sent', attempts = ?, sent_at = ?, last_attempt_at = ?, last_error = NULL WHERE id = ?")
      .run(attempts, iso(now), iso(now), id);
  }

  markRetry(id: number, now: number, attempts: number, nextAt: number, error: string): void {
    this.db
      .prepare('UPDATE notify_outbox SET attempts = ?, next_attempt_at = ?, last_attempt_at = ?, last_error = ? WHERE id = ?')
      .run(attempts, iso(nextAt), iso(now), error, id);
  }

  markFailed(id: number, now: number, attempts: number, error: string): void {
    this.db
      .prepare("UPDATE notify_outbox SET status = 'failed', attempts = ?, last_attempt_at = ?, last_error = ? WHERE id = ?")
      .run(attempts, iso(now), error, id);
  }

  /** Channels a message went to (halt decisions follow the halt's own notification). */
  channelsOf(messageId: string): string[] {
    return this.rowsOf(messageId).map((r) => r.channel);
  }

  history(f: { since?: string; channel?: string; status?: DeliveryStatus; limit: number }): Delivery[] {
    const where: string[] = [];
    const args: unknown[] = [];
    if (f.since) (where.push('created_at >= ?'), args.push(f.since));
    if (f.channel) (where.push('channel = ?'), args.push(f.channel));
    if (f.status) (where.push('status = ?'), args.push(f.status));
    const sql = `SELECT * FROM notify_outbox ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY created_at DESC, id DESC LIMIT ?`;
    return (this.db.prepare(sql).all(...args, f.limit) as OutboxRow[]).map(toDelivery);
  }

  /** Pending now, and failed since `since`, per channel (for pulse). */
  stats(since: number): Record<string, { pending: number; failed: number }> {
    const rows = this.db
      .prepare(
        `SELECT channel, SUM(status = 'pending') AS pending, SUM(status = 'failed' AND last_attempt_at >= ?) AS failed
         FROM notify_outbox GROUP BY channel`,
      )
      .all(iso(since)) as { channel: string; pending: number; failed: number }[];
    return Object.fromEntries(rows.map((r) => [r.channel, { pending: r.pending ?? 0, failed: r.failed ?? 0 }]));
  }
}
