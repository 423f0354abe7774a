import type { Migration } from '../store/migrations.js';

export const tasksMigrations: Migration[] = [
  {
    version: 1,
    name: 'tasks: long operations a caller starts and comes back to',
    // `input` is redacted for display; `resume_input` is kept only for ops that resume after a restart.
    up: `CREATE TABLE tasks (
      id TEXT PRIMARY KEY,
      op TEXT NOT NULL,
      caller TEXT NOT NULL,
      surface TEXT NOT NULL,
      input TEXT NOT NULL,
      resume_input TEXT,
      status TEXT NOT NULL,
      status_message TEXT,
      progress TEXT,
      halt_id TEXT,
      result TEXT,
      error TEXT,
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL,
      expires_at TEXT NOT NULL
    );
    CREATE INDEX tasks_status ON tasks (status);
    CREATE INDEX tasks_expires ON tasks (expires_at);`,
  },
];
