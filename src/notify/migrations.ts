import type { Migration } from '../store/migrations.js';

export const notifyMigrations: Migration[] = [
  {
    version: 1,
    name: 'channels and outbox',
    up: `
      CREATE TABLE notify_channels (name TEXT PRIMARY KEY, type TEXT NOT NULL, config TEXT NOT NULL, created_at TEXT NOT NULL);
      CREATE TABLE notify_outbox (
        id INTEGER PRIMARY KEY, message_id TEXT NOT NULL, channel TEXT NOT NULL, message TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('pending', 'sent', 'failed')), attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_at TEXT NOT NULL, last_attempt_at TEXT, last_error TEXT, created_at TEXT NOT NULL, sent_at TEXT,
        UNIQUE (message_id, channel));
      CREATE INDEX notify_outbox_due ON notify_outbox(status, next_attempt_at);
      CREATE INDEX notify_outbox_created ON notify_outbox(created_at);
    `,
  },
  {
    version: 2,
    name: 'messages held for the digest',
    up: `
      CREATE TABLE notify_held (
        id INTEGER PRIMARY KEY, message_id TEXT NOT NULL UNIQUE, channels TEXT NOT NULL, message TEXT NOT NULL,
        reason TEXT NOT NULL CHECK (reason IN ('digest', 'quiet')), created_at TEXT NOT NULL, digest_id TEXT);
      CREATE INDEX notify_held_open ON notify_held(digest_id, created_at);
    `,
  },
];
