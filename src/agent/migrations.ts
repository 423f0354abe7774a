import type { Migration } from '../store/migrations.js';

export const agentMigrations: Migration[] = [
  {
    version: 1,
    name: 'decision journal, learned owner preferences',
    up: `
      CREATE TABLE agent_decisions (
        id TEXT PRIMARY KEY, at TEXT NOT NULL, incident TEXT NOT NULL, issue_key TEXT NOT NULL, beat_id INTEGER,
        kind TEXT NOT NULL, subject TEXT NOT NULL, app TEXT, level TEXT NOT NULL, shadow INTEGER NOT NULL DEFAULT 0,
        observation TEXT NOT NULL, options TEXT NOT NULL, choice TEXT NOT NULL, why TEXT NOT NULL,
        action TEXT, halt_id TEXT, outcome TEXT NOT NULL, verification TEXT, undo TEXT, undone INTEGER NOT NULL DEFAULT 0,
        recurred INTEGER NOT NULL DEFAULT 0, detected_at TEXT NOT NULL, acted_at TEXT, detect_to_action_ms INTEGER, resolved_at TEXT);
      CREATE INDEX agent_decisions_at ON agent_decisions(at);
      CREATE INDEX agent_decisions_halt ON agent_decisions(halt_id);
      CREATE TABLE agent_preferences (
        kind TEXT NOT NULL, subject TEXT NOT NULL, op TEXT NOT NULL, approvals INTEGER NOT NULL DEFAULT 0,
        promoted INTEGER NOT NULL DEFAULT 0, suppressed_until TEXT, note TEXT, updated_at TEXT NOT NULL,
        PRIMARY KEY (kind, subject, op));
    `,
  },
];
