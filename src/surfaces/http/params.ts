import { OpError } from '../../kernel/ops/errors.js';

export type Params = Record<string, string | string[]>;

/**
 * Turns a query string or form body into `{name: value | [values]}` in one pass.
 * Fields are counted before anything is decoded, so an oversized request costs a
 * scan, not a parse. The result has no prototype: a field named `__proto__` is
 * kept as data like any other.
 */
export function paramsToObject(text: string, maxFields: number, what: 'form body' | 'query string'): Params {
  const count = countFields(text, maxFields);
  if (count > maxFields) {
    throw new OpError('BAD_INPUT', `The ${what} has more than ${maxFields} fields (the limit; set with --set http.maxFormFields).`, { limit: maxFields });
  }
  const out: Params = Object.create(null);
  for (const [key, value] of new URLSearchParams(text)) {
    const prev = out[key];
    if (prev === undefined) out[key] = value;
    else if (Array.isArray(prev)) prev.push(value);
    else out[key] = [prev, value];
  }
  return out;
}

/** Non-empty `&`-separated segments (URLSearchParams skips empty ones), counting no further than `max + 1`. */
function countFields(text: string, max: number): number {
  let count = 0;
  let start = text.startsWith('?') ? 1 : 0;
  while (start <= text.length && count <= max) {
    let end = text.indexOf('&', start);
    if (end === -1) end = text.length;
    if (end > start) count++;
    start = end + 1;
  }
  return count;
}
