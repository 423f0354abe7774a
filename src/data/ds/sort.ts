import { OpError } from '../../kernel/ops/errors.js';
import { checkField, isPlainObject, type SqlBuilder } from './query-compiler.js';

const DIRECTIONS: Record<string, 'ASC' | 'DESC'> = { '1': 'ASC', '-1': 'DESC', asc: 'ASC', desc: 'DESC' };
const MAX_SORT_KEYS = 8;

/**
 * `{"createdAt": -1, "title": 1}` → ORDER BY terms. Directions come from a whitelist;
 * paths are checked and bound like query paths. Insertion order breaks ties.
 */
export function compileSort(b: SqlBuilder, sort: unknown): string {
  if (sort === undefined || sort === null) return 'rowid';
  if (!isPlainObject(sort)) throw new OpError('BAD_INPUT', 'sort must be an object like {"createdAt": -1}.');
  const entries = Object.entries(sort);
  if (entries.length > MAX_SORT_KEYS) throw new OpError('BAD_INPUT', `sort may name at most ${MAX_SORT_KEYS} fields.`);
  const terms = entries.map(([field, dir]) => {
    checkField(field);
    const d = DIRECTIONS[String(dir).toLowerCase()];
    if (!d || (typeof dir !== 'number' && typeof dir !== 'string')) {
      throw new OpError('BAD_INPUT', `sort direction for '${field}' must be 1, -1, "asc" or "desc".`, { field });
    }
    return `${b.value(field)} ${d}`;
  });
  return [...terms, 'rowid'].join(', ');
}
