import type { Migration } from '../store/migrations.js';

export const launchMigrations: Migration[] = [
  {
    version: 1,
    name: 'launch plans',
    up: `
      CREATE TABLE launch_plans (
        id TEXT PRIMARY KEY, app TEXT NOT NULL, domain TEXT NOT NULL, input TEXT NOT NULL, caller TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('running', 'waiting', 'done', 'failed', 'interrupted')),
        steps TEXT NOT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL);
      CREATE INDEX launch_plans_created ON launch_plans(created_at);
    `,
  },
];
