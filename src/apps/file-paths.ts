import { OpError } from '../kernel/ops/errors.js';

export const MAX_PATH_LENGTH = 1024;
export const MAX_SEGMENT_LENGTH = 255;

/**
 * Checks a path inside an app and returns it with forward slashes and no leading
 * './'. Anything that could escape the app root or confuse a file system is refused.
 */
export function normalizeAppPath(raw: string): string {
  const bad = (why: string) =>
    new OpError('BAD_INPUT', `Invalid file path '${printable(raw)}': ${why}.`, { fields: [{ path: 'files', message: why }], path: printable(raw) });
  if (typeof raw !== 'string' || raw.length === 0) throw bad('empty path');
  if (raw.includes('\0')) throw bad('contains a NUL byte');
  if (raw.includes('\\')) throw bad('contains a backslash; use forward slashes');
  if (raw.startsWith('/') || /^[A-Za-z]:/.test(raw)) throw bad('absolute paths are not allowed');
  if (raw.length > MAX_PATH_LENGTH) throw bad(`longer than ${MAX_PATH_LENGTH} characters`);
  // eslint-disable-next-line no-control-regex
  if (/[\x00-\x1f\x7f]/.test(raw)) throw bad('contains control characters');
  const segments = raw.split('/');
  if (segments[0] === '.') segments.shift();
  if (!segments.length) throw bad('empty path');
  for (const s of segments) {
    if (s === '') throw bad('empty path segment');
    if (s === '..') throw bad("'..' segments are not allowed");
    if (s === '.') throw bad("'.' segments are not allowed");
    if (s.length > MAX_SEGMENT_LENGTH) throw bad(`a segment is longer than ${MAX_SEGMENT_LENGTH} characters`);
  }
  return segments.join('/');
}

/** Paths the static server never serves: server-only files and the app's API code. */
export function isPrivatePath(path: string): boolean {
  return path === 'private' || path === 'api' || path.startsWith('private/') || path.startsWith('api/');
}

function printable(s: unknown): string {
  // eslint-disable-next-line no-control-regex
  return String(s).replace(/[\x00-\x1f\x7f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`).slice(0, 200);
}
