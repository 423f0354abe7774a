import type { DB } from '../store/db.js';
import { nowIso } from '../store/db.js';

/** Small persisted key → JSON settings (pulse thresholds, AI providers, ...). */
export class Settings {
  // Prepared once: settings are read on hot paths (every AI call reads its budget).
  private readonly getStmt;
  private readonly setStmt;
  private readonly deleteStmt;

  constructor(db: DB) {
    this.getStmt = db.prepare('SELECT value FROM settings WHERE key = ?');
    this.setStmt = db.prepare(
      'INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at',
    );
    this.deleteStmt = db.prepare('DELETE FROM settings WHERE key = ?');
  }

  get<T>(key: string, fallback: T): T {
    const row = this.getStmt.get(key) as { value: string } | undefined;
    return row ? (JSON.parse(row.value) as T) : fallback;
  }

  set(key: string, value: unknown): void {
    this.setStmt.run(key, JSON.stringify(value), nowIso());
  }

  delete(key: string): void {
    this.deleteStmt.run(key);
  }
}
