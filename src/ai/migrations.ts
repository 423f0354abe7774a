import type { Migration } from '../store/migrations.js';

export const aiMigrations: Migration[] = [
  {
    version: 1,
    name: 'ai usage',
    up: `
      CREATE TABLE ai_usage (
        id INTEGER PRIMARY KEY, at TEXT NOT NULL, day TEXT NOT NULL, provider TEXT NOT NULL, model TEXT NOT NULL,
        app_id TEXT, caller TEXT NOT NULL, kind TEXT NOT NULL, input_tokens INTEGER NOT NULL, output_tokens INTEGER NOT NULL,
        cost_usd REAL NOT NULL, ms INTEGER NOT NULL, outcome TEXT NOT NULL);
      CREATE INDEX ai_usage_day ON ai_usage(day, app_id);
    `,
  },
  {
    version: 2,
    name: 'app ai grants',
    up: `
      CREATE TABLE ai_app_grants (
        app_id TEXT PRIMARY KEY, daily_usd REAL, granted_by TEXT NOT NULL, granted_at TEXT NOT NULL);
    `,
  },
];
