import { OpError } from '../kernel/ops/errors.js';
import { isPlainObject } from './ds/query-compiler.js';

/**
 * Reads `"ds": {"indexes": {"posts": ["slug", "author.name"]}}` from a manifest.
 * Returns [collection, field] pairs; a malformed section fails the deploy.
 */
export function declaredIndexes(manifest: Record<string, unknown>): [string, string][] {
  const ds = manifest.ds;
  if (ds === undefined) return [];
  const bad = (why: string) =>
    new OpError('BAD_INPUT', `manifest.json: ds.indexes ${why}. Expected {"ds": {"indexes": {"posts": ["slug"]}}}.`);
  if (!isPlainObject(ds)) throw bad('must sit in an object');
  const indexes = ds.indexes;
  if (indexes === undefined) return [];
  if (!isPlainObject(indexes)) throw bad('must be an object of collection → field list');
  const out: [string, string][] = [];
  for (const [collection, fields] of Object.entries(indexes)) {
    if (!Array.isArray(fields) || !fields.every((f) => typeof f === 'string')) throw bad(`for '${collection}' must be an array of field names`);
    for (const f of fields) out.push([collection, f]);
  }
  return out;
}
