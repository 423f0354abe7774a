import type { Encoding } from './variants.js';

/** True when an If-None-Match list names this file (any of its encodings) or is `*`. */
export function etagMatches(header: string, etag: string): boolean {
  if (header === '*') return true;
  const bare = etag.slice(1, -1);
  for (let t of header.split(',')) {
    t = t.trim();
    if (t.startsWith('W/')) t = t.slice(2);
    if (t.length < 2 || t[0] !== '"') continue;
    const v = t.slice(1, -1);
    if (v === bare || v === `${bare}-br` || v === `${bare}-gz`) return true;
  }
  return false;
}

/** Picks br, then gzip, honouring q=0; undefined means identity. */
export function pickEncoding(header: string | undefined): Encoding | undefined {
  if (!header) return undefined;
  let br = false;
  let gzip = false;
  for (const part of header.split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    const q = params.find((p) => p.trim().startsWith('q='));
    if (q && Number(q.trim().slice(2)) === 0) continue;
    if (name === 'br') br = true;
    else if (name === 'gzip' || name === 'x-gzip') gzip = true;
    else if (name === '*') (br = true), (gzip = true);
  }
  return br ? 'br' : gzip ? 'gzip' : undefined;
}

export type RangeResult = { start: number; end: number } | 'unsatisfiable' | 'ignore';

/**
 * One `bytes=` range (first-last, first-, -suffix). Multiple ranges and other
 * units are answered with the whole file, as RFC 9110 allows.
 */
export function parseRange(header: string, size: number): RangeResult {
  const m = /^bytes=\s*(\d*)\s*-\s*(\d*)\s*$/.exec(header);
  if (!m || (m[1] === '' && m[2] === '')) return 'ignore';
  let start: number;
  let end: number;
  if (m[1] === '') {
    const suffix = Number(m[2]);
    if (suffix === 0) return 'unsatisfiable';
    start = Math.max(0, size - suffix);
    end = size - 1;
  } else {
    start = Number(m[1]);
    end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
    if (m[2] !== '' && Number(m[2]) < start) return 'ignore';
  }
  if (start >= size || size === 0) return 'unsatisfiable';
  return { start, end };
}
