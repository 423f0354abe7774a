import type { Migration } from '../store/migrations.js';

/** App log lines and request access logs; ids are assigned by the writer so live followers see them. */
export const logsMigrations: Migration[] = [
  {
    version: 1,
    name: 'logs and access logs',
    up: `
      CREATE TABLE logs (
        id INTEGER PRIMARY KEY, at TEXT NOT NULL, app_id TEXT, level TEXT NOT NULL,
        message TEXT NOT NULL, fields TEXT, request_id TEXT);
      CREATE INDEX logs_app_at ON logs(app_id, at);
      CREATE INDEX logs_at ON logs(at);
      CREATE TABLE access_logs (
        id INTEGER PRIMARY KEY, at TEXT NOT NULL, app_id TEXT, slug TEXT NOT NULL, kind TEXT NOT NULL,
        method TEXT NOT NULL, path TEXT NOT NULL, status INTEGER NOT NULL, duration_ms REAL NOT NULL,
        bytes INTEGER NOT NULL, request_id TEXT);
      CREATE INDEX access_logs_app_at ON access_logs(app_id, at);
      CREATE INDEX access_logs_at ON access_logs(at);
    `,
  },
  {
    version: 2,
    name: 'access log hit counts',
    // Successful static hits are stored per window with a count (see static-hits.ts).
    up: 'ALTER TABLE access_logs ADD COLUMN hits INTEGER NOT NULL DEFAULT 1',
  },
];
