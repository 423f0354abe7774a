import type { Migration } from '../store/migrations.js';

export const runtimeMigrations: Migration[] = [
  {
    version: 1,
    name: 'app registrations (tools, resources, event subscriptions) per version',
    up: `
      CREATE TABLE app_registrations (
        app_id TEXT NOT NULL, version INTEGER NOT NULL, kind TEXT NOT NULL, name TEXT NOT NULL,
        position INTEGER NOT NULL, spec TEXT NOT NULL, PRIMARY KEY (app_id, version, kind, name));
    `,
  },
  {
    version: 2,
    name: 'event namespaces the owner allowed an app to receive beyond its own',
    up: `
      CREATE TABLE app_event_grants (
        app_id TEXT NOT NULL, pattern TEXT NOT NULL, granted_by TEXT NOT NULL, granted_at TEXT NOT NULL,
        PRIMARY KEY (app_id, pattern));
    `,
  },
];
