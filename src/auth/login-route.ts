import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { HttpHandler, Kernel, RouteInfo } from '../kernel/kernel.js';
import { toOpError } from '../kernel/ops/errors.js';
import { readBody } from '../surfaces/http/body.js';
import { LoginLimiter } from './login-limiter.js';
import { loginPage } from './login-page.js';
import type { OwnerSessions } from './owner-sessions.js';
import { checkOwnerPassword } from './password.js';
import { safeNext } from './safe-next.js';
import { sameOriginRequest } from './same-origin.js';
import { clearedCookies, readCookie, sessionCookies } from './session-cookie.js';
import { SESSION_LIFETIME_MS, type SessionInfo } from './session-store.js';
import { requireTotp, totpEnabled } from './totp.js';

export const LOGIN_PATH = '/login';
export const LOGOUT_PATH = '/logout';
/** Ties the sign-in form to the browser that loaded it (double submit). */
const LOGIN_NONCE_COOKIE = 'fazt_login';
const FORM_LIMIT = 8192;

const PAGE_HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
  'x-frame-options': 'DENY',
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  'referrer-policy': 'same-origin',
};

/** On kernel hosts (see the module's useHttp). */
export function acceptsLoginRoute(route: RouteInfo): boolean {
  return route.path === LOGIN_PATH || route.path === LOGOUT_PATH;
}

/** GET /login shows the form; POST /login signs in; POST /logout signs out. */
export function loginRoute(kernel: Kernel, sessions: OwnerSessions): HttpHandler {
  const limiter = new LoginLimiter(kernel.db);
  return async (req, res, route) => {
    const next = safeNext(route.url.searchParams.get('next'));
    if (route.path === LOGOUT_PATH) return (await signOut(sessions, req, res), true);
    if (req.method === 'GET' || req.method === 'HEAD') {
      if (sessions.sessionOf(req.headers)) return (redirect(res, next), true);
      return (showForm(kernel, req, res, next), true);
    }
    if (req.method === 'POST') return (await signIn(kernel, sessions, limiter, req, res), true);
    res.writeHead(405, { allow: 'GET, HEAD, POST', 'content-type': 'text/plain' }).end('Use GET or POST.');
    return true;
  };
}

function showForm(kernel: Kernel, req: IncomingMessage, res: ServerResponse, next: string, status = 200, error?: string, extra: Record<string, string> = {}): void {
  const nonce = randomBytes(18).toString('base64url');
  const secure = (req.socket as { encrypted?: boolean }).encrypted ? '; Secure' : '';
  res.writeHead(status, {
    ...PAGE_HEADERS,
    ...extra,
    'set-cookie': `${LOGIN_NONCE_COOKIE}=${nonce}; Path=${LOGIN_PATH}; Max-Age=1800; HttpOnly; SameSite=Strict${secure}`,
  });
  res.end(req.method === 'HEAD' ? undefined : loginPage({ next, nonce, totp: totpEnabled(kernel), error }));
}

function redirect(res: ServerResponse, location: string, cookies?: string[]): void {
  res.writeHead(303, { location, 'cache-control': 'no-store', ...(cookies ? { 'set-cookie': cookies } : {}) });
  res.end();
}

async function readForm(req: IncomingMessage): Promise<URLSearchParams | undefined> {
  try {
    return new URLSearchParams((await readBody(req, FORM_LIMIT)).toString('utf8'));
  } catch {
    return undefined;
  }
}

function sameValue(a: string | undefined, b: string | undefined): boolean {
  if (!a || !b || a.length !== b.length) return false;
  return timingSafeEqual(Buffer.from(a), Buffer.from(b));
}

async function signIn(kernel: Kernel, sessions: OwnerSessions, limiter: LoginLimiter, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const started = Date.now();
  const form = await readForm(req);
  if (!form) return (res.setHeader('connection', 'close'), showForm(kernel, req, res, '/', 413, 'The form was too large. Nothing was done.'));
  const next = safeNext(form.get('next'));
  if (!sameOriginRequest(req) || !sameValue(form.get('nonce') ?? undefined, readCookie(req.headers, LOGIN_NONCE_COOKIE))) {
    return showForm(kernel, req, res, next, 403, 'This sign-in form was not sent from this server’s own page. Sign in again here.');
  }
  const client = req.socket.remoteAddress ?? 'unknown';
  const locked = limiter.lockedFor(client);
  if (locked > 0) return showLocked(kernel, req, res, next, locked);
  const method = await checkCredential(kernel, form.get('password') ?? '');
  let failure = method ? undefined : 'Wrong password or owner key.';
  if (method) {
    try {
      requireTotp(kernel, form.get('code') ?? undefined);
    } catch (err) {
      failure = toOpError(err).message.replace(/: pass --code with/, ': enter');
    }
  }
  audit(kernel, req, failure ? 'unauthenticated' : 'ok', started, method);
  if (failure) {
    const lock = limiter.fail(client);
    if (lock > 0) return showLocked(kernel, req, res, next, lock);
    return showForm(kernel, req, res, next, 401, failure);
  }
  limiter.succeed(client);
  const { secret, info } = sessions.store.create(method!, { userAgent: str(req.headers['user-agent']), address: client });
  redirect(res, next, sessionCookies(req, secret, sessions.csrfToken(info.id), Math.floor(SESSION_LIFETIME_MS / 1000)));
}

function showLocked(kernel: Kernel, req: IncomingMessage, res: ServerResponse, next: string, ms: number): void {
  const s = Math.ceil(ms / 1000);
  showForm(kernel, req, res, next, 429, `Too many failed sign-ins from this address. Try again in ${s} s.`, { 'retry-after': String(s) });
}

/** The owner key, or the password; undefined when neither matches. */
async function checkCredential(kernel: Kernel, given: string): Promise<SessionInfo['method'] | undefined> {
  if (!given) return undefined;
  if (given.startsWith('fzt_')) {
    const v = kernel.tokens.verify(given);
    return v.ok && v.info.kind === 'owner' ? 'owner-key' : undefined;
  }
  return (await checkOwnerPassword(kernel, given)) ? 'password' : undefined;
}

async function signOut(sessions: OwnerSessions, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (req.method !== 'POST') return void res.writeHead(405, { allow: 'POST', 'content-type': 'text/plain' }).end('Sign out with POST.');
  const form = await readForm(req);
  const s = sessions.sessionOf(req.headers);
  const header = req.headers['x-fazt-csrf'];
  const token = form?.get('csrf') ?? (typeof header === 'string' ? header : undefined);
  if (s && (!sameOriginRequest(req) || !sessions.checkCsrf(s.id, token))) {
    return void res.writeHead(403, { 'content-type': 'text/plain' }).end('Sign-out refused: it did not come from the dashboard.');
  }
  if (s) sessions.store.revoke(s.id);
  redirect(res, LOGIN_PATH, clearedCookies(req));
}

function audit(kernel: Kernel, req: IncomingMessage, outcome: 'ok' | 'unauthenticated', started: number, method: string | undefined): void {
  kernel.audit.record({
    op: 'auth.login',
    caller: { kind: 'public', name: req.socket.remoteAddress ?? 'unknown', caps: [], human: false },
    surface: 'http',
    input: { method: method ?? 'unknown' },
    outcome,
    ...(outcome === 'ok' ? {} : { errorCode: 'UNAUTHENTICATED' }),
    durationMs: Date.now() - started,
  });
}

const str = (v: string | string[] | undefined) => (typeof v === 'string' ? v : undefined);
