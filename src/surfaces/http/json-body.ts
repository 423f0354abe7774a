import { OpError } from '../../kernel/ops/errors.js';

/**
 * Parses a JSON body, refusing one nested deeper than `maxDepth` before parsing it:
 * deep nesting costs nothing to send but overflows the stack of whatever walks the
 * result (validation, JSON.stringify, the app sandbox).
 */
export function parseJsonBody(buf: Buffer, maxDepth: number): unknown {
  const depth = jsonDepth(buf, maxDepth);
  if (depth > maxDepth) {
    throw new OpError('BAD_INPUT', `The JSON body is nested deeper than ${maxDepth} levels (the limit; set with --set http.maxJsonDepth).`, { limit: maxDepth });
  }
  try {
    return JSON.parse(buf.toString('utf8'));
  } catch (err) {
    throw new OpError('BAD_INPUT', `The request body is not valid JSON: ${(err as Error).message}`);
  }
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_ARRAY = 0x5b;
const OPEN_OBJECT = 0x7b;
const CLOSE_ARRAY = 0x5d;
const CLOSE_OBJECT = 0x7d;

/**
 * Deepest bracket nesting outside strings, stopping once past `max`. Works on bytes:
 * in UTF-8 every byte of a multi-byte character is >= 0x80, so none looks like a
 * bracket or a quote. Malformed JSON is left for JSON.parse to describe.
 */
export function jsonDepth(buf: Buffer, max: number): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < buf.length; i++) {
    const c = buf[i];
    if (inString) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) inString = false;
    } else if (c === QUOTE) inString = true;
    else if (c === OPEN_ARRAY || c === OPEN_OBJECT) {
      if (++depth > deepest && (deepest = depth) > max) return deepest;
    } else if (c === CLOSE_ARRAY || c === CLOSE_OBJECT) depth--;
  }
  return deepest;
}
