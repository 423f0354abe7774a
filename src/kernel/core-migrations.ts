import type { Migration } from '../store/migrations.js';

/** Schema of the kernel's own tables: settings, tokens, audit, halts. */
export const coreMigrations: Migration[] = [
  {
    version: 1,
    name: 'settings, tokens, audit, halts',
    up: `
      CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL, updated_at TEXT NOT NULL);
      CREATE TABLE tokens (
        id TEXT PRIMARY KEY, name TEXT NOT NULL, kind TEXT NOT NULL, hash TEXT NOT NULL,
        caps TEXT NOT NULL, created_at TEXT NOT NULL, expires_at TEXT, last_used_at TEXT, revoked_at TEXT);
      CREATE UNIQUE INDEX tokens_live_name ON tokens(name) WHERE revoked_at IS NULL;
      CREATE TABLE audit (
        id INTEGER PRIMARY KEY, at TEXT NOT NULL, caller TEXT NOT NULL, caller_kind TEXT NOT NULL,
        surface TEXT NOT NULL, session TEXT, op TEXT NOT NULL, input TEXT, outcome TEXT NOT NULL,
        error_code TEXT, duration_ms INTEGER NOT NULL, request_id TEXT, halt_id TEXT);
      CREATE INDEX audit_at ON audit(at);
      CREATE INDEX audit_op_at ON audit(op, at);
      CREATE TABLE halts (
        id TEXT PRIMARY KEY, op TEXT NOT NULL, input TEXT NOT NULL, caller TEXT NOT NULL, surface TEXT NOT NULL,
        reason TEXT NOT NULL, options TEXT NOT NULL, status TEXT NOT NULL, created_at TEXT NOT NULL,
        expires_at TEXT NOT NULL, decided_at TEXT, decided_by TEXT, decision_option TEXT, result TEXT, error TEXT);
      CREATE INDEX halts_status ON halts(status, created_at);
    `,
  },
  {
    version: 2,
    name: 'halt choices: which answers run the stored call',
    up: 'ALTER TABLE halts ADD COLUMN choices TEXT',
  },
  {
    version: 3,
    name: 'halt default decision at the deadline',
    up: "ALTER TABLE halts ADD COLUMN default_decision TEXT NOT NULL DEFAULT 'deny'",
  },
];
