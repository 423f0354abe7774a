import type Database from 'better-sqlite3';

/** One step of a module's schema. Append-only: never edit a released migration. */
export interface Migration {
  version: number;
  name: string;
  up: string | ((db: Database.Database) => void);
}

export class NewerDatabaseError extends Error {}

/**
 * Each module keeps its own numbered series, so modules evolve independently.
 * A database made by a newer fazt (higher version, or a module we do not know) is refused.
 */
export function migrate(db: Database.Database, modules: { name: string; migrations: Migration[] }[]): void {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    module TEXT NOT NULL, version INTEGER NOT NULL, name TEXT NOT NULL, applied_at TEXT NOT NULL,
    PRIMARY KEY (module, version))`);
  const rows = db.prepare('SELECT module, MAX(version) AS v FROM schema_migrations GROUP BY module').all() as { module: string; v: number }[];
  const current = new Map(rows.map((r) => [r.module, r.v]));
  const known = new Map(modules.map((m) => [m.name, m]));
  for (const [name, v] of current) {
    const mod = known.get(name);
    const newest = mod ? Math.max(0, ...mod.migrations.map((m) => m.version)) : -1;
    if (!mod || v > newest) {
      throw new NewerDatabaseError(
        `This data.db was written by a newer fazt (module '${name}' at schema ${v}, this build knows ${Math.max(newest, 0)}). Upgrade fazt to open it.`,
      );
    }
  }
  const record = db.prepare('INSERT INTO schema_migrations (module, version, name, applied_at) VALUES (?, ?, ?, ?)');
  for (const mod of modules) {
    const done = current.get(mod.name) ?? 0;
    const pending = [...mod.migrations].sort((a, b) => a.version - b.version).filter((m) => m.version > done);
    for (const m of pending) {
      db.transaction(() => {
        if (typeof m.up === 'string') db.exec(m.up);
        else m.up(db);
        record.run(mod.name, m.version, m.name, new Date().toISOString());
      })();
    }
  }
}
