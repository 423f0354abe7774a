import { OpError } from '../../kernel/ops/errors.js';
import { checkField, isPlainObject } from './query-compiler.js';

const UPDATE_OPERATORS = ['$set', '$unset', '$inc'] as const;
/** Segments that would reach an object's prototype instead of its own data. */
const FORBIDDEN_SEGMENTS = new Set(['__proto__', 'constructor', 'prototype']);

/** Checks `changes` once, before any document is touched. */
export function checkChanges(changes: unknown): void {
  if (!isPlainObject(changes)) throw new OpError('BAD_INPUT', 'changes must be an object: fields to merge, or {"$set": …, "$unset": …, "$inc": …}.');
  const keys = Object.keys(changes);
  const ops = keys.filter((k) => k.startsWith('$'));
  if (!keys.length) throw new OpError('BAD_INPUT', 'changes is empty: nothing to update.');
  if (ops.length && ops.length !== keys.length) {
    throw new OpError('BAD_INPUT', 'changes mixes operators ($set, ...) and plain fields; use one style.');
  }
  if (!ops.length) {
    if ('id' in changes) throw new OpError('BAD_INPUT', "A document's id cannot be changed.", { field: 'id' });
    for (const k of keys) if (FORBIDDEN_SEGMENTS.has(k)) throw new OpError('BAD_INPUT', `'${k}' cannot be used as a field name.`, { field: k });
    return;
  }
  for (const op of ops) {
    if (!(UPDATE_OPERATORS as readonly string[]).includes(op)) {
      throw new OpError('BAD_INPUT', `Update operator '${op.slice(0, 40)}' is not supported. Allowed: ${UPDATE_OPERATORS.join(' ')}.`, {
        operator: op.slice(0, 40),
      });
    }
    const arg = changes[op];
    if (!isPlainObject(arg)) throw new OpError('BAD_INPUT', `${op} takes an object of field paths.`, { operator: op });
    for (const [path, v] of Object.entries(arg)) {
      checkPath(path);
      if (op === '$inc' && (typeof v !== 'number' || !Number.isFinite(v))) {
        throw new OpError('BAD_INPUT', `$inc on '${path}' takes a finite number.`, { operator: op, field: path });
      }
    }
  }
}

function checkPath(path: string): void {
  checkField(path);
  const segs = path.split('.');
  if (segs[0] === 'id') throw new OpError('BAD_INPUT', "A document's id cannot be changed.", { field: path });
  for (const s of segs) if (FORBIDDEN_SEGMENTS.has(s)) throw new OpError('BAD_INPUT', `'${s}' cannot be used in a field path.`, { field: path });
}

/** Returns the updated copy of `doc`; `changes` must have passed checkChanges. */
export function applyChanges<T extends Record<string, unknown>>(doc: T, changes: Record<string, unknown>): T {
  const keys = Object.keys(changes);
  if (!keys[0].startsWith('$')) return { ...doc, ...changes, id: doc.id };
  const out = structuredClone(doc) as Record<string, unknown>;
  const set = changes.$set as Record<string, unknown> | undefined;
  const unset = changes.$unset as Record<string, unknown> | undefined;
  const inc = changes.$inc as Record<string, number> | undefined;
  for (const [p, v] of Object.entries(set ?? {})) setPath(out, p, v);
  for (const p of Object.keys(unset ?? {})) unsetPath(out, p);
  for (const [p, n] of Object.entries(inc ?? {})) {
    const cur = getPath(out, p);
    if (cur !== undefined && typeof cur !== 'number') {
      throw new OpError('BAD_INPUT', `$inc on '${p}': the current value is not a number.`, { operator: '$inc', field: p });
    }
    setPath(out, p, (cur ?? 0) + n);
  }
  return out as T;
}

function getPath(obj: Record<string, unknown>, path: string): unknown {
  let cur: unknown = obj;
  for (const s of path.split('.')) {
    if (!isPlainObject(cur) || !Object.hasOwn(cur, s)) return undefined;
    cur = cur[s];
  }
  return cur;
}

function setPath(obj: Record<string, unknown>, path: string, value: unknown): void {
  const segs = path.split('.');
  let cur = obj;
  for (const s of segs.slice(0, -1)) {
    const next = Object.hasOwn(cur, s) ? cur[s] : undefined;
    if (next === undefined || next === null) cur = cur[s] = {};
    else if (isPlainObject(next)) cur = next;
    else throw new OpError('BAD_INPUT', `Cannot set '${path}': '${s}' is not an object.`, { field: path });
  }
  cur[segs[segs.length - 1]] = value;
}

function unsetPath(obj: Record<string, unknown>, path: string): void {
  const segs = path.split('.');
  let cur: unknown = obj;
  for (const s of segs.slice(0, -1)) {
    if (!isPlainObject(cur) || !Object.hasOwn(cur, s)) return;
    cur = cur[s];
  }
  if (isPlainObject(cur)) delete cur[segs[segs.length - 1]];
}
