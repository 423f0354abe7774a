import type { Migration } from '../store/migrations.js';

export const eventsMigrations: Migration[] = [
  {
    version: 1,
    name: 'persisted events',
    up: `
      CREATE TABLE events (
        id TEXT PRIMARY KEY, type TEXT NOT NULL, source TEXT NOT NULL, data TEXT,
        timestamp TEXT NOT NULL, correlation_id TEXT, expires_at TEXT NOT NULL);
      CREATE INDEX events_timestamp ON events(timestamp);
      CREATE INDEX events_type_timestamp ON events(type, timestamp);
      CREATE INDEX events_expires ON events(expires_at);
    `,
  },
];
