import type { DB } from '../store/db.js';
import type { Message } from './channels/types.js';

export interface HeldMessage {
  messageId: string;
  /** Channels the message would have gone to; empty means all. */
  channels: string[];
  message: Message;
  reason: 'digest' | 'quiet';
  createdAt: string;
}

/** Messages kept back for the digest (a digest rule, or quiet hours). */
export class HeldMessages {
  constructor(private readonly db: DB) {}

  hold(message: Message, channels: string[], reason: HeldMessage['reason'], now: number): void {
    this.db
      .prepare('INSERT OR IGNORE INTO notify_held (message_id, channels, message, reason, created_at) VALUES (?, ?, ?, ?, ?)')
      .run(message.id, JSON.stringify(channels), JSON.stringify(message), reason, new Date(now).toISOString());
  }

  has(messageId: string): boolean {
    return this.db.prepare('SELECT 1 FROM notify_held WHERE message_id = ?').get(messageId) !== undefined;
  }

  /** Not yet in a digest, oldest first. */
  open(): HeldMessage[] {
    const rows = this.db.prepare('SELECT * FROM notify_held WHERE digest_id IS NULL ORDER BY created_at, id').all() as {
      message_id: string;
      channels: string;
      message: string;
      reason: HeldMessage['reason'];
      created_at: string;
    }[];
    return rows.map((r) => ({ messageId: r.message_id, channels: JSON.parse(r.channels) as string[], message: JSON.parse(r.message) as Message, reason: r.reason, createdAt: r.created_at }));
  }

  /** Marks the messages as sent in a digest; only those still open, so two runs never share one. */
  markDigested(messageIds: string[], digestId: string): number {
    const mark = this.db.prepare('UPDATE notify_held SET digest_id = ? WHERE message_id = ? AND digest_id IS NULL');
    return this.db.transaction(() => messageIds.reduce((n, id) => n + mark.run(digestId, id).changes, 0))();
  }
}
