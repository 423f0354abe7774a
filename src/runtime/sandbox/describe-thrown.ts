/** Longest text taken from a thrown value (message, stack, or the value itself); the rest is cut. */
export const MAX_ERROR_CHARS = 4096;

/** What app code threw, read inside the sandbox and cut to size before it crosses to the host (as JSON text). */
export type Described =
  | { error: true; name: string; message: string; stack?: string; fileName?: string; lineNumber?: number; cut: number }
  | { error: false; text: string; cut: number };

/**
 * Evaluated once per context, before app code runs (so it holds the real
 * String, JSON and Math). Reading a thrown value with a generic dump would
 * serialize it whole inside the sandbox: a 50 MB message then exhausts the
 * heap and arrives as an empty string. This slices every string to `max`
 * characters first; `cut` is the longest original length that was cut.
 */
export const DESCRIBE_THROWN = `(function () {
  'use strict';
  const S = String, stringify = JSON.stringify, max = Math.max;
  return function describeThrown(e, limit) {
    let cut = 0;
    const text = (v) => {
      const s = S(v);
      if (s.length <= limit) return s;
      cut = max(cut, s.length);
      return s.slice(0, limit);
    };
    if (e !== null && typeof e === 'object' && 'message' in e && 'name' in e) {
      const out = { error: true, name: text(e.name), message: text(e.message), cut: 0 };
      if (typeof e.stack === 'string') out.stack = text(e.stack);
      if (typeof e.lineNumber === 'number') { out.lineNumber = e.lineNumber; out.fileName = text(e.fileName); }
      out.cut = cut;
      return stringify(out);
    }
    let s;
    try { s = e === undefined ? 'undefined' : stringify(e); } catch (_) { s = undefined; }
    if (s === undefined) { try { s = S(e); } catch (_) { s = Object.prototype.toString.call(e); } }
    const t = text(s);
    return stringify({ error: false, text: t, cut: cut });
  };
})()`;
