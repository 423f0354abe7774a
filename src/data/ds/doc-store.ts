import { randomBytes } from 'node:crypto';
import type { Statement } from 'better-sqlite3';
import type { DB } from '../../store/db.js';
import { nowIso } from '../../store/db.js';
import { OpError } from '../../kernel/ops/errors.js';
import type { DataScope, Doc, DsApi, FindOptions } from '../api.js';
import type { StorageLimits } from '../limits.js';
import { isWellFormed, toJson, toStored, type StoredScope } from '../scope.js';
import { applyChanges, checkChanges } from './changes.js';
import { FieldIndexes } from './field-indexes.js';
import { compileInto, isPlainObject, SqlBuilder } from './query-compiler.js';
import { compileSort } from './sort.js';

export const COLLECTION_RE = /^[A-Za-z0-9_-]{1,64}$/;
export const FIND_DEFAULT_LIMIT = 100;
export const FIND_MAX_LIMIT = 1000;
const ID_MAX = 128;
const STATEMENT_CACHE = 256;

/** Where-clause prefix every document statement starts with: one app, one user, one collection. */
const SCOPE_SQL = 'app_id = @a AND user_id = @u AND collection = @c';

/**
 * The document store: JSON documents in one table, queried with the compiled
 * Mongo-like subset. Statements are cached by their SQL text; a query's shape
 * (not its values) decides the text, so repeated queries reuse one statement.
 */
export class DocStore implements DsApi {
  readonly indexes: FieldIndexes;
  private readonly statements = new Map<string, Prepared>();
  private readonly sInsert;
  private readonly sWrite;

  constructor(
    private readonly db: DB,
    private readonly limits: StorageLimits,
  ) {
    this.indexes = new FieldIndexes(db, limits);
    this.sWrite = db.prepare('UPDATE app_docs SET doc = ?, updated_at = ? WHERE rowid = ?');
    this.sInsert = db.prepare(
      'INSERT INTO app_docs (app_id, user_id, collection, id, doc, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
  }

  insert(scope: DataScope, collection: string, doc: Record<string, unknown>): Doc {
    const s = toStored(scope);
    checkCollection(collection);
    if (!isPlainObject(doc)) throw new OpError('BAD_INPUT', 'A document must be a JSON object.');
    const id = doc.id === undefined || doc.id === null ? newId() : checkId(doc.id);
    const { id: _given, ...fields } = doc;
    const stored: Doc = { id, ...fields };
    const json = toJson(stored, this.limits.maxValueBytes, 'The document');
    try {
      const now = nowIso();
      this.sInsert.run(s.app, s.user, collection, id, json, now, now);
    } catch (err) {
      if ((err as { code?: string }).code === 'SQLITE_CONSTRAINT_PRIMARYKEY') {
        throw new OpError('CONFLICT', `A document with id '${id}' already exists in '${collection}'.`, { id });
      }
      throw err;
    }
    return stored;
  }

  find(scope: DataScope, collection: string, query?: Record<string, unknown>, opts: FindOptions = {}): Doc[] {
    const s = toStored(scope);
    checkCollection(collection);
    if (opts !== undefined && opts !== null && !isPlainObject(opts)) throw new OpError('BAD_INPUT', 'find options must be an object: {sort, limit, skip}.');
    const limit = checkWhole(opts?.limit ?? FIND_DEFAULT_LIMIT, 'limit', 1, FIND_MAX_LIMIT);
    const skip = checkWhole(opts?.skip ?? 0, 'skip', 0, 1e9);
    const { b, where } = this.compile(query, s, collection);
    const order = compileSort(b, opts?.sort);
    b.params.lim = limit;
    b.params.off = skip;
    const sql = `SELECT doc FROM app_docs WHERE ${SCOPE_SQL} AND (${where}) ORDER BY ${order} LIMIT @lim OFFSET @off`;
    const rows = this.run(sql, b.params, (st, args) => st.pluck().all(...args)) as string[];
    return rows.map((r) => JSON.parse(r) as Doc);
  }

  findOne(scope: DataScope, collection: string, query?: Record<string, unknown>): Doc | null {
    return this.find(scope, collection, query, { limit: 1 })[0] ?? null;
  }

  update(scope: DataScope, collection: string, query: Record<string, unknown>, changes: Record<string, unknown>): number {
    const s = toStored(scope);
    checkCollection(collection);
    checkChanges(changes);
    const { b, where } = this.compile(query, s, collection);
    const write = this.sWrite;
    return this.db.transaction(() => {
      const sql = `SELECT rowid AS r, doc FROM app_docs WHERE ${SCOPE_SQL} AND (${where})`;
      const rows = this.run(sql, b.params, (st, args) => st.all(...args)) as { r: number; doc: string }[];
      const now = nowIso();
      for (const row of rows) {
        const next = applyChanges(JSON.parse(row.doc) as Doc, changes);
        write.run(toJson(next, this.limits.maxValueBytes, 'The updated document'), now, row.r);
      }
      return rows.length;
    })();
  }

  delete(scope: DataScope, collection: string, query: Record<string, unknown>): number {
    const s = toStored(scope);
    checkCollection(collection);
    const { b, where } = this.compile(query, s, collection);
    return this.run(`DELETE FROM app_docs WHERE ${SCOPE_SQL} AND (${where})`, b.params, (st, args) => st.run(...args).changes) as number;
  }

  count(scope: DataScope, collection: string, query?: Record<string, unknown>): number {
    const s = toStored(scope);
    checkCollection(collection);
    const { b, where } = this.compile(query, s, collection);
    return this.run(`SELECT count(*) FROM app_docs WHERE ${SCOPE_SQL} AND (${where})`, b.params, (st, args) => st.pluck().get(...args)) as number;
  }

  /** Indexes `field` for fast lookups (an app's manifest declares these). */
  ensureIndex(appId: string, collection: string, field: string): void {
    checkCollection(collection);
    this.indexes.ensure(field, 'declared', appId, collection);
  }

  /** Collections of a scope with their document counts. */
  collections(scope: DataScope): { name: string; count: number }[] {
    const s = toStored(scope);
    return this.db
      .prepare('SELECT collection AS name, count(*) AS count FROM app_docs WHERE app_id = ? AND user_id = ? GROUP BY collection ORDER BY collection')
      .all(s.app, s.user) as { name: string; count: number }[];
  }

  /** The query plan SQLite picks for a find (tests and diagnostics). */
  explain(scope: DataScope, collection: string, query?: Record<string, unknown>): string[] {
    const s = toStored(scope);
    const b = new SqlBuilder({ isIndexed: (f) => this.indexes.has(f) });
    const where = compileInto(b, query);
    Object.assign(b.params, { a: s.app, u: s.user, c: collection });
    const sql = `EXPLAIN QUERY PLAN SELECT doc FROM app_docs WHERE ${SCOPE_SQL} AND (${where})`;
    return (this.db.prepare(sql).all(b.params) as { detail: string }[]).map((r) => r.detail);
  }

  deleteApp(appId: string): number {
    return this.db.prepare('DELETE FROM app_docs WHERE app_id = ?').run(appId).changes;
  }

  private compile(query: unknown, s: StoredScope, collection: string): { b: SqlBuilder; where: string } {
    const b = new SqlBuilder({ isIndexed: (f) => this.indexes.has(f) });
    const where = compileInto(b, query);
    if (b.lookups.size) this.indexes.noteLookups([...b.lookups], s.app, collection);
    Object.assign(b.params, { a: s.app, u: s.user, c: collection });
    return { b, where };
  }

  /**
   * Runs SQL written with named parameters as a cached statement with positional
   * ones: binding an argument list is much faster than binding an object, and the
   * name order is fixed by the SQL text, so it is worked out once per statement.
   */
  private run<T>(sql: string, params: Record<string, unknown>, exec: (st: Statement, args: unknown[]) => T): T {
    let p = this.statements.get(sql);
    if (p) {
      // Re-insert to keep the map in least-recently-used order.
      this.statements.delete(sql);
    } else {
      const names: string[] = [];
      // Values never appear in the SQL text (see query-compiler), so every @name is a parameter.
      const positional = sql.replace(/@([A-Za-z0-9_]+)/g, (_, n: string) => (names.push(n), '?'));
      p = { st: this.db.prepare(positional), names };
      if (this.statements.size >= STATEMENT_CACHE) this.statements.delete(this.statements.keys().next().value!);
    }
    this.statements.set(sql, p);
    return exec(p.st, p.names.map((n) => params[n]));
  }
}

export function checkCollection(name: unknown): asserts name is string {
  if (typeof name !== 'string' || !COLLECTION_RE.test(name)) {
    throw new OpError('BAD_INPUT', `Invalid collection name '${String(name).slice(0, 80)}': use 1-64 letters, digits, '_' or '-'.`, {
      fields: [{ path: 'collection', message: 'must match [A-Za-z0-9_-]{1,64}' }],
    });
  }
}

function checkId(id: unknown): string {
  if (typeof id !== 'string' || id === '' || id.length > ID_MAX || !isWellFormed(id)) {
    throw new OpError('BAD_INPUT', `A document id must be a non-empty string of at most ${ID_MAX} characters.`);
  }
  return id;
}

function checkWhole(v: unknown, name: string, min: number, max: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    throw new OpError('BAD_INPUT', `${name} must be a whole number from ${min} to ${max}.`, { fields: [{ path: name, message: `${min}-${max}` }] });
  }
  return v;
}

interface Prepared {
  st: Statement;
  names: string[];
}

/**
 * Time-ordered ids like MongoDB's ObjectId: 12 hex digits of milliseconds, 4 random
 * per process, then a counter that starts at a random value (cheaper than fresh
 * random bytes per insert, still unique across processes and restarts).
 */
const ID_PROCESS = randomBytes(2).toString('hex');
let idCounter = randomBytes(4).readUInt32BE(0);
function newId(): string {
  idCounter = (idCounter + 1) >>> 0;
  return Date.now().toString(16).padStart(12, '0') + ID_PROCESS + idCounter.toString(16).padStart(8, '0');
}
