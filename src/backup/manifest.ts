import type { DB } from '../store/db.js';

/** Newest applied migration of each module, as the schema_migrations table records it. */
export function schemaVersions(db: DB): Record<string, number> {
  const has = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'").get();
  if (!has) return {};
  const rows = db.prepare('SELECT module, MAX(version) AS v FROM schema_migrations GROUP BY module ORDER BY module').all() as { module: string; v: number }[];
  return Object.fromEntries(rows.map((r) => [r.module, r.v]));
}

function tableExists(db: DB, name: string): boolean {
  return !!db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name);
}

/** Names of sealed secrets: a restore on another machine needs this server's master key to read them. */
export function sealedSecretNames(db: DB): string[] {
  if (!tableExists(db, 'secrets')) return [];
  return (db.prepare('SELECT name FROM secrets ORDER BY name').all() as { name: string }[]).map((r) => r.name);
}

export function appCounts(db: DB): { apps: number; versions: number } {
  const count = (t: string) => (tableExists(db, t) ? (db.prepare(`SELECT COUNT(*) AS n FROM ${t}`).get() as { n: number }).n : 0);
  return { apps: count('apps'), versions: count('app_versions') };
}

/**
 * Compares a snapshot's schema with this build's migrations: 'newer' names the first
 * module this build cannot open (a newer fazt wrote it).
 */
export function compareSchema(
  schema: Record<string, number>,
  known: { name: string; newest: number }[],
): { newer?: { module: string; version: number; known: number }; older: boolean } {
  const byName = new Map(known.map((k) => [k.name, k.newest]));
  let older = false;
  for (const [module, version] of Object.entries(schema)) {
    const newest = byName.get(module);
    if (newest === undefined || version > newest) return { newer: { module, version, known: newest ?? 0 }, older };
    if (version < newest) older = true;
  }
  for (const k of known) if (!(k.name in schema) && k.newest > 0) older = true;
  return { older };
}
