import type { Migration } from '../store/migrations.js';

export const secretsMigrations: Migration[] = [
  {
    version: 1,
    name: 'sealed secrets',
    up: `CREATE TABLE secrets (name TEXT PRIMARY KEY, sealed TEXT NOT NULL, key_id TEXT NOT NULL, updated_at TEXT NOT NULL);`,
  },
];
