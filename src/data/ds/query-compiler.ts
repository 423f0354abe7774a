import { OpError } from '../../kernel/ops/errors.js';

/**
 * Compiles the Mongo-like query subset to a SQL condition over the `doc` JSON column.
 *
 * Safety: no value from a query is ever put in the SQL text. Values are named bound
 * parameters; field paths must match FIELD_RE (letters, digits, `_`, `-`, dots) and are
 * bound too (`json_extract(doc, @p0)` with `@p0 = '$.author.name'`). The one exception
 * is a field that has an index: SQLite matches an expression index only against the
 * identical literal expression, so its path is written as `'$.slug'`; FIELD_RE admits
 * no quote, backslash or space, so that literal cannot end early.
 *
 * Semantics follow MongoDB where SQL allows: a missing field equals null, `$ne`/`$nin`
 * match documents without the field, ranges compare only values of the same JSON
 * type (numbers with numbers, strings with strings), `$exists` is true for null values.
 */

export const FIELD_RE = /^[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)*$/;
const FIELD_MAX = 200;
const MAX_DEPTH = 8;
const MAX_TERMS = 200;
const MAX_IN = 1000;

export const FIELD_OPERATORS = ['$eq', '$ne', '$gt', '$gte', '$lt', '$lte', '$in', '$nin', '$exists'] as const;
export const LOGICAL_OPERATORS = ['$and', '$or'] as const;

export interface CompiledQuery {
  /** SQL condition (never empty: `1` when the query is empty). */
  where: string;
  params: Record<string, unknown>;
  /** Fields looked up by equality, `$in` or range: candidates for an index. */
  lookupFields: string[];
}

export interface CompileOptions {
  /** Fields that have an expression index (their path is inlined so the index applies). */
  isIndexed?: (field: string) => boolean;
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** Builds SQL with named parameters; the same builder serves a query and its sort. */
export class SqlBuilder {
  readonly params: Record<string, unknown> = {};
  private n = 0;
  private readonly paths = new Map<string, string>();
  terms = 0;
  readonly lookups = new Set<string>();

  constructor(private readonly opts: CompileOptions = {}) {}

  bind(value: unknown): string {
    const name = `p${this.n++}`;
    this.params[name] = value;
    return `@${name}`;
  }

  /** SQL for the JSON path of a checked field, reusing one parameter per field. */
  private path(field: string): string {
    if (this.opts.isIndexed?.(field)) return `'$.${field}'`;
    let p = this.paths.get(field);
    if (!p) this.paths.set(field, (p = this.bind(`$.${field}`)));
    return p;
  }

  /** The field's value as SQL. `id` is a real column (the primary key). */
  value(field: string): string {
    return field === 'id' ? 'id' : `json_extract(doc, ${this.path(field)})`;
  }

  /** The field's JSON type ('null', 'true', 'false', 'integer', 'real', 'text', 'array', 'object') or NULL when missing. */
  type(field: string): string {
    return field === 'id' ? `'text'` : `json_type(doc, ${this.path(field)})`;
  }
}

export function compileQuery(query: unknown, opts: CompileOptions = {}): CompiledQuery {
  const b = new SqlBuilder(opts);
  const where = compileInto(b, query);
  return { where, params: b.params, lookupFields: [...b.lookups] };
}

/** Compiles a query into an existing builder (so sort parameters share its numbering). */
export function compileInto(b: SqlBuilder, query: unknown): string {
  if (query === undefined || query === null) return '1';
  if (!isPlainObject(query)) throw bad('A query must be an object like {"status": "published"}.');
  return compileObject(b, query, 0);
}

export function checkField(field: string): void {
  if (field.length > FIELD_MAX || !FIELD_RE.test(field)) {
    throw new OpError('BAD_INPUT', `Invalid field path '${field.slice(0, 80)}': use letters, digits, '_', '-' and dots (author.name).`, {
      field: field.slice(0, 200),
    });
  }
}

function compileObject(b: SqlBuilder, q: Record<string, unknown>, depth: number): string {
  if (depth > MAX_DEPTH) throw bad(`A query may nest $and/$or at most ${MAX_DEPTH} levels deep.`);
  const parts: string[] = [];
  for (const [key, val] of Object.entries(q)) {
    if (key.startsWith('$')) {
      if (key === '$and' || key === '$or') parts.push(compileLogical(b, key, val, depth));
      else throw unsupported(key, 'at the top of a query');
    } else {
      checkField(key);
      parts.push(compileField(b, key, val));
    }
  }
  if (!parts.length) return '1';
  return parts.length === 1 ? parts[0] : parts.map((p) => `(${p})`).join(' AND ');
}

function compileLogical(b: SqlBuilder, op: '$and' | '$or', val: unknown, depth: number): string {
  if (!Array.isArray(val) || val.length === 0 || !val.every(isPlainObject)) {
    throw bad(`${op} takes a non-empty array of queries, like {"${op}": [{"a": 1}, {"b": 2}]}.`, op);
  }
  const parts = val.map((sub) => `(${compileObject(b, sub as Record<string, unknown>, depth + 1)})`);
  return parts.join(op === '$and' ? ' AND ' : ' OR ');
}

function compileField(b: SqlBuilder, field: string, val: unknown): string {
  if (isPlainObject(val)) {
    const keys = Object.keys(val);
    const ops = keys.filter((k) => k.startsWith('$'));
    if (ops.length && ops.length !== keys.length) {
      throw bad(`The condition on '${field}' mixes operators and plain fields; use either {"$gt": 1} or an exact object.`);
    }
    if (ops.length) {
      const parts = ops.map((op) => compileOperator(b, field, op, val[op]));
      return parts.length === 1 ? parts[0] : parts.map((p) => `(${p})`).join(' AND ');
    }
  }
  return eq(b, field, val);
}

function compileOperator(b: SqlBuilder, field: string, op: string, arg: unknown): string {
  if (++b.terms > MAX_TERMS) throw bad(`A query may have at most ${MAX_TERMS} conditions.`);
  switch (op) {
    case '$eq':
      return eq(b, field, arg);
    case '$ne':
      return ne(b, field, arg);
    case '$gt':
    case '$gte':
    case '$lt':
    case '$lte':
      return range(b, field, op, arg);
    case '$in':
      return inList(b, field, op, arg);
    case '$nin':
      return `NOT coalesce((${inList(b, field, op, arg)}), 0)`;
    case '$exists':
      if (typeof arg !== 'boolean') throw bad(`$exists takes true or false (on '${field}').`, op);
      return `${b.type(field)} IS ${arg ? 'NOT ' : ''}NULL`;
    default:
      throw unsupported(op, `on '${field}'`);
  }
}

/** May be NULL (missing field) for scalar comparisons; callers negate with coalesce. */
function eq(b: SqlBuilder, field: string, v: unknown): string {
  if (++b.terms > MAX_TERMS) throw bad(`A query may have at most ${MAX_TERMS} conditions.`);
  const value = checkValue(field, v);
  if (value === null) return `${b.value(field)} IS NULL`;
  if (typeof value === 'boolean') return `${b.type(field)} = '${value}'`;
  if (typeof value === 'object') {
    return `(${b.type(field)} IN ('object', 'array') AND ${b.value(field)} = json(${b.bind(JSON.stringify(value))}))`;
  }
  b.lookups.add(field);
  return `${b.value(field)} = ${b.bind(value)}`;
}

function ne(b: SqlBuilder, field: string, v: unknown): string {
  const value = checkValue(field, v);
  if (value === null) return `${b.value(field)} IS NOT NULL`;
  if (typeof value === 'boolean') return `${b.type(field)} IS NOT '${value}'`;
  if (typeof value === 'object') return `NOT coalesce((${eq(b, field, value)}), 0)`;
  return `${b.value(field)} IS NOT ${b.bind(value)}`;
}

const RANGE_SQL = { $gt: '>', $gte: '>=', $lt: '<', $lte: '<=' } as const;

function range(b: SqlBuilder, field: string, op: keyof typeof RANGE_SQL, v: unknown): string {
  if (typeof v === 'number' && Number.isFinite(v)) {
    b.lookups.add(field);
    return `(${b.value(field)} ${RANGE_SQL[op]} ${b.bind(v)} AND ${b.type(field)} IN ('integer', 'real'))`;
  }
  if (typeof v === 'string') {
    b.lookups.add(field);
    return `(${b.value(field)} ${RANGE_SQL[op]} ${b.bind(v)} AND ${b.type(field)} = 'text')`;
  }
  throw bad(`${op} on '${field}' takes a number or a string.`, op);
}

function inList(b: SqlBuilder, field: string, op: '$in' | '$nin', arg: unknown): string {
  if (!Array.isArray(arg)) throw bad(`${op} on '${field}' takes an array of values.`, op);
  if (arg.length > MAX_IN) throw bad(`${op} on '${field}' may list at most ${MAX_IN} values.`, op);
  if (!arg.length) return '0';
  const scalars: (string | number)[] = [];
  const others: string[] = [];
  for (const v of arg) {
    const value = checkValue(field, v);
    if (typeof value === 'string' || typeof value === 'number') scalars.push(value);
    else others.push(eq(b, field, value));
  }
  const parts = [...others];
  if (scalars.length) {
    b.lookups.add(field);
    parts.unshift(`${b.value(field)} IN (${scalars.map((s) => b.bind(s)).join(', ')})`);
  }
  return parts.length === 1 ? parts[0] : parts.map((p) => `(${p})`).join(' OR ');
}

/** Only JSON values can be compared: no undefined, functions, NaN or Infinity. */
function checkValue(field: string, v: unknown): Json {
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw bad(`The value for '${field}' must be a finite number.`);
    return v;
  }
  if (Array.isArray(v) || isPlainObject(v)) {
    if (containsOperator(v)) throw bad(`Operators are not allowed inside a value compared to '${field}'.`);
    return v as Json;
  }
  throw bad(`The value for '${field}' is not a JSON value (got ${typeof v}).`);
}

function containsOperator(v: unknown, depth = 0): boolean {
  if (depth > 32) return true;
  if (Array.isArray(v)) return v.some((x) => containsOperator(x, depth + 1));
  if (isPlainObject(v)) return Object.entries(v).some(([k, x]) => k.startsWith('$') || containsOperator(x, depth + 1));
  return false;
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

function bad(message: string, operator?: string): OpError {
  return new OpError('BAD_INPUT', message, operator ? { operator } : undefined);
}

function unsupported(op: string, where: string): OpError {
  const name = op.slice(0, 40);
  return new OpError(
    'BAD_INPUT',
    `Query operator '${name}' is not supported (${where}). Allowed: ${[...FIELD_OPERATORS, ...LOGICAL_OPERATORS].join(' ')}.`,
    { operator: name },
  );
}
