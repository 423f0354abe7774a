import { OpError } from '../kernel/ops/errors.js';
import type { DataScope } from './api.js';

/** A scope as stored: app-level data has user '' so (app, user, key) stays one primary key. */
export interface StoredScope {
  app: string;
  user: string;
}

const USER_MAX = 256;

/** Checks a scope and turns it into the two key columns every storage table starts with. */
export function toStored(scope: DataScope): StoredScope {
  if (!scope || typeof scope.appId !== 'string' || scope.appId === '') {
    throw new OpError('BAD_INPUT', 'Storage scope needs an app id.');
  }
  const user = scope.userId;
  if (user === undefined || user === null) return { app: scope.appId, user: '' };
  if (typeof user !== 'string' || user === '' || user.length > USER_MAX) {
    throw new OpError('BAD_INPUT', `A storage user id must be a non-empty string of at most ${USER_MAX} characters.`);
  }
  return { app: scope.appId, user };
}

/**
 * The smallest string greater than every string that starts with `prefix`, or null
 * when there is none. SQLite compares TEXT as UTF-8 bytes, which orders like code
 * points, so bumping the last code point gives an exact range: `key >= p AND key < next`.
 * Unlike LIKE, `%` and `_` in keys mean nothing special here.
 */
export function prefixUpperBound(prefix: string): string | null {
  const cps = Array.from(prefix);
  while (cps.length) {
    const last = cps.pop()!.codePointAt(0)!;
    if (last < 0x10ffff) {
      // Skip the surrogate range, which no well-formed string contains.
      const next = last + 1 === 0xd800 ? 0xe000 : last + 1;
      return cps.join('') + String.fromCodePoint(next);
    }
  }
  return null;
}

/** A list prefix: a well-formed string no longer than the keys or paths it selects. */
export function checkPrefix(prefix: unknown, max: number, noun: 'key' | 'path'): string {
  if (typeof prefix !== 'string' || prefix.length > max || !isWellFormed(prefix)) {
    throw new OpError('BAD_INPUT', `A ${noun} prefix must be a string of at most ${max} characters.`);
  }
  return prefix;
}

/** A list limit: a whole number from 1 to `max`. */
export function checkListLimit(limit: unknown, max: number): number {
  if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1 || limit > max) {
    throw new OpError('BAD_INPUT', `A list limit must be a whole number from 1 to ${max}.`);
  }
  return limit;
}

/** Rejects lone surrogates: SQLite would store them as U+FFFD and the key would change. */
export function isWellFormed(s: string): boolean {
  return (s as string & { isWellFormed(): boolean }).isWellFormed();
}

/** Serialises a value as JSON, refusing what JSON cannot hold and what is too big. */
export function toJson(value: unknown, maxBytes: number, what: string): string {
  let json: string | undefined;
  try {
    json = JSON.stringify(value);
  } catch (err) {
    throw new OpError('BAD_INPUT', `${what} is not JSON-serialisable: ${(err as Error).message}`);
  }
  if (json === undefined) throw new OpError('BAD_INPUT', `${what} is not JSON-serialisable (got ${typeof value}).`);
  // A UTF-8 byte count is only needed when the string could be over the limit.
  if (json.length * 3 > maxBytes) {
    const bytes = Buffer.byteLength(json);
    if (bytes > maxBytes) {
      throw new OpError('TOO_LARGE', `${what} is ${bytes} bytes as JSON; the limit is ${maxBytes}.`, { limit: maxBytes, size: bytes });
    }
  }
  return json;
}
