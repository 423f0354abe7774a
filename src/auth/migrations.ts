import type { Migration } from '../store/migrations.js';

export const authMigrations: Migration[] = [
  {
    version: 1,
    name: 'owner sessions and sign-in lockout',
    // Only the hash of a session's cookie secret is kept: the table signs nobody in.
    up: `CREATE TABLE owner_sessions (
      id TEXT PRIMARY KEY,
      secret_hash TEXT NOT NULL UNIQUE,
      method TEXT NOT NULL,
      created_at TEXT NOT NULL,
      last_seen_at TEXT NOT NULL,
      expires_at TEXT NOT NULL,
      revoked_at TEXT,
      user_agent TEXT,
      address TEXT
    );
    CREATE TABLE login_failures (
      client TEXT PRIMARY KEY,
      failures INTEGER NOT NULL,
      last_failure_at TEXT NOT NULL,
      locked_until TEXT
    );`,
  },
];
