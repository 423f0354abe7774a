/**
 * Where to go after signing in: a path on this same origin, else `fallback`.
 * Refuses absolute URLs, protocol-relative `//host`, backslash tricks and control characters.
 */
export function safeNext(next: string | null | undefined, fallback = '/'): string {
  if (!next || next.length > 2000 || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return fallback;
  if (/[\u0000-\u001f\u007f\\]/.test(next)) return fallback;
  let u: URL;
  try {
    u = new URL(next, 'http://same.invalid');
  } catch {
    return fallback;
  }
  if (u.origin !== 'http://same.invalid') return fallback;
  return u.pathname + u.search + u.hash;
}
