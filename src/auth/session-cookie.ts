import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';

export const SESSION_COOKIE = 'fazt_session';
/** Readable by the dashboard's scripts (not HttpOnly): they echo it in the x-fazt-csrf header. */
export const CSRF_COOKIE = 'fazt_csrf';
export const CSRF_HEADER = 'x-fazt-csrf';

export function readCookie(headers: { cookie?: string | string[] }, name: string): string | undefined {
  const raw = Array.isArray(headers.cookie) ? headers.cookie.join('; ') : headers.cookie;
  if (!raw) return undefined;
  for (const part of raw.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim() || undefined;
  }
  return undefined;
}

export function isHttps(req: IncomingMessage): boolean {
  return (req.socket as TLSSocket).encrypted === true;
}

/** Host-only cookies (no Domain): apps on <slug>.<domain> never receive them. */
export function sessionCookies(req: IncomingMessage, secret: string, csrf: string, maxAgeSeconds: number): string[] {
  const secure = isHttps(req) ? '; Secure' : '';
  return [
    `${SESSION_COOKIE}=${secret}; Path=/; Max-Age=${maxAgeSeconds}; HttpOnly; SameSite=Lax${secure}`,
    `${CSRF_COOKIE}=${csrf}; Path=/; Max-Age=${maxAgeSeconds}; SameSite=Strict${secure}`,
  ];
}

export function clearedCookies(req: IncomingMessage): string[] {
  const secure = isHttps(req) ? '; Secure' : '';
  return [`${SESSION_COOKIE}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax${secure}`, `${CSRF_COOKIE}=; Path=/; Max-Age=0; SameSite=Strict${secure}`];
}
