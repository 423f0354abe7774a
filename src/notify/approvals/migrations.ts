import type { Migration } from '../../store/migrations.js';

export const approvalsMigrations: Migration[] = [
  {
    version: 1,
    name: 'used approval links',
    // Keyed by the token's hash: the table never holds a working link.
    up: `CREATE TABLE approval_links_used (
      token_hash TEXT PRIMARY KEY,
      halt_id TEXT NOT NULL,
      option TEXT NOT NULL,
      used_at TEXT,
      failed_codes INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX approval_links_used_halt ON approval_links_used (halt_id);`,
  },
];
