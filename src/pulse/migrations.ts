import type { Migration } from '../store/migrations.js';

export const pulseMigrations: Migration[] = [
  {
    version: 1,
    name: 'pulse beats',
    up: `
      CREATE TABLE pulse_beats (
        id INTEGER PRIMARY KEY, at TEXT NOT NULL, at_ms INTEGER NOT NULL, trigger TEXT NOT NULL,
        health TEXT NOT NULL, summary TEXT NOT NULL, metrics TEXT NOT NULL, analysis TEXT NOT NULL,
        collectors TEXT NOT NULL, wall_ms REAL NOT NULL, cpu_ms REAL NOT NULL);
      CREATE INDEX pulse_beats_at ON pulse_beats(at_ms);
    `,
  },
];
