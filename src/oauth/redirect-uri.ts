/** Loopback hosts a native app may listen on (RFC 8252 §7.3). */
const LOOPBACK_HOSTS = new Set(['127.0.0.1', '[::1]', 'localhost']);

function isLoopbackHttp(u: URL): boolean {
  return u.protocol === 'http:' && LOOPBACK_HOSTS.has(u.hostname);
}

/**
 * Why `raw` cannot be a redirect URI, or undefined when it can: https anywhere,
 * http only on loopback, or a private-use scheme of a native app (`com.example.app:/cb`,
 * RFC 8252 §7.1). Never a fragment, never script or data URLs.
 */
export function redirectUriProblem(raw: unknown): string | undefined {
  if (typeof raw !== 'string' || raw.length === 0 || raw.length > 2000) return 'must be a URL of at most 2000 characters';
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    return `'${raw}' is not an absolute URL`;
  }
  if (u.hash || raw.includes('#')) return `'${raw}' must not have a fragment`;
  if (u.username || u.password) return `'${raw}' must not carry credentials`;
  if (u.protocol === 'https:') return undefined;
  if (u.protocol === 'http:') return isLoopbackHttp(u) ? undefined : `'${raw}': http is allowed only on loopback (127.0.0.1, [::1], localhost); use https`;
  const scheme = u.protocol.slice(0, -1);
  if (/^[a-z][a-z0-9+.-]*\.[a-z0-9+.-]+$/.test(scheme)) return undefined;
  return `'${raw}': the scheme must be https, loopback http, or a reverse-domain private scheme such as com.example.app`;
}

/**
 * An exact string match with a registered URI, except that a loopback http URI
 * may differ in its port (RFC 8252 §7.3: the app picks a free port at run time).
 */
export function redirectUriMatches(registered: readonly string[], given: string): boolean {
  if (registered.includes(given)) return true;
  let g: URL;
  try {
    g = new URL(given);
  } catch {
    return false;
  }
  if (!isLoopbackHttp(g) || g.hash) return false;
  return registered.some((r) => {
    const u = new URL(r);
    return isLoopbackHttp(u) && u.hostname === g.hostname && u.pathname === g.pathname && u.search === g.search;
  });
}
