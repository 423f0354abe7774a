import { createHash } from 'node:crypto';
import type { DB } from '../../store/db.js';
import { nowIso } from '../../store/db.js';
import { OpError } from '../../kernel/ops/errors.js';
import { checkField } from './query-compiler.js';

/**
 * Field indexes for the document store.
 *
 * One expression index per field path, shared by every app and collection:
 *   CREATE INDEX … ON app_docs(app_id, user_id, collection, json_extract(doc, '$.slug'))
 * Every document query pins app_id, user_id and collection by equality, so the index
 * narrows straight to one app's collection and then to the value. Sharing one index
 * per path (rather than one per app) keeps the count bounded whatever apps do.
 *
 * An index appears two ways:
 * - declared: an app's manifest lists `"ds": {"indexes": {"posts": ["slug"]}}`, and the
 *   deploy calls ensureIndex (also a service method for the runtime);
 * - automatic: once a field has been looked up (equality, $in or range) `autoIndexAfter`
 *   times since start, its index is built. A field queried once never costs an index.
 * Every index slows inserts a little, so each kind is capped at `maxIndexes`; the caps
 * are separate so automatic indexes can never use up the room declared ones need.
 */
export class FieldIndexes {
  /** Indexed field → how it came to be ('declared' or 'auto'). */
  private readonly fields = new Map<string, string>();
  private readonly lookups = new Map<string, number>();

  constructor(
    private readonly db: DB,
    private readonly limits: { autoIndexAfter: number; maxIndexes: number },
  ) {
    const rows = db.prepare('SELECT field, index_name, source FROM app_doc_indexes').all() as { field: string; index_name: string; source: string }[];
    const present = new Set(
      (db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'app_docs'").all() as { name: string }[]).map((r) => r.name),
    );
    for (const r of rows) if (present.has(r.index_name)) this.fields.set(r.field, r.source);
  }

  has(field: string): boolean {
    return this.fields.has(field);
  }

  list(): string[] {
    return [...this.fields.keys()].sort();
  }

  /** Counts lookups; builds an index when a field reaches the threshold. */
  noteLookups(fields: readonly string[], appId: string, collection: string): void {
    const after = this.limits.autoIndexAfter;
    if (!after) return;
    for (const f of fields) {
      if (f === 'id' || this.fields.has(f)) continue;
      const n = (this.lookups.get(f) ?? 0) + 1;
      this.lookups.set(f, n);
      if (n >= after && this.count('auto') < this.limits.maxIndexes) this.create(f, 'auto', appId, collection);
    }
  }

  /** Makes sure `field` is indexed; refuses when the index budget is spent. */
  ensure(field: string, source: 'declared' | 'auto', appId: string | null, collection: string | null): void {
    checkField(field);
    if (field === 'id' || this.fields.has(field)) return;
    if (this.count(source) >= this.limits.maxIndexes) {
      throw new OpError('LIMIT_EXCEEDED', `The document store already has ${this.limits.maxIndexes} ${source} field indexes (the limit); '${field}' was not indexed.`, {
        limit: this.limits.maxIndexes,
      });
    }
    this.create(field, source, appId, collection);
  }

  private create(field: string, source: string, appId: string | null, collection: string | null): void {
    const name = indexName(field);
    // FIELD_RE (checked above or by the query compiler) admits no quote, so the literal is safe.
    this.db.transaction(() => {
      this.db.exec(`CREATE INDEX IF NOT EXISTS ${name} ON app_docs(app_id, user_id, collection, json_extract(doc, '$.${field}'))`);
      this.db
        .prepare('INSERT OR IGNORE INTO app_doc_indexes (field, index_name, source, app_id, collection, created_at) VALUES (?, ?, ?, ?, ?, ?)')
        .run(field, name, source, appId, collection, nowIso());
    })();
    this.fields.set(field, source);
    this.lookups.delete(field);
  }

  private count(source: string): number {
    let n = 0;
    for (const s of this.fields.values()) if (s === source) n++;
    return n;
  }
}

export function indexName(field: string): string {
  const hash = createHash('sha256').update(field).digest('hex').slice(0, 8);
  return `app_docs_f_${field.replace(/[^A-Za-z0-9]/g, '_').slice(0, 40)}_${hash}`;
}
