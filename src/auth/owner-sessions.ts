import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Kernel } from '../kernel/kernel.js';
import type { Caller } from '../kernel/ops/define.js';
import { OpError } from '../kernel/ops/errors.js';
import { sameOriginRequest } from './same-origin.js';
import { CSRF_HEADER, readCookie, SESSION_COOKIE } from './session-cookie.js';
import { SessionStore, type SessionInfo } from './session-store.js';
import { OWNER_CAPS } from './tokens.js';

type Headers = Record<string, string | string[] | undefined>;

/** Key for CSRF tokens, sealed in the secrets store so tokens outlive a restart. */
const CSRF_KEY_SECRET = 'auth.session.csrf-key';
export const SESSION_CALLER_PREFIX = 'owner-session:';

/**
 * Signed-in owner browsers. A live session is the owner *and* a present human:
 * it came through the sign-in form (password or owner key, plus TOTP when on).
 */
export class OwnerSessions {
  readonly store: SessionStore;
  private csrfKey: Buffer | undefined;

  constructor(private readonly kernel: Kernel) {
    this.store = new SessionStore(kernel.db);
  }

  /** The session a request's cookie names, or null. */
  fromRequest(req: { headers: Headers }): { sessionId: string; createdAt: string } | null {
    const s = this.sessionOf(req.headers);
    return s ? { sessionId: s.id, createdAt: s.createdAt } : null;
  }

  sessionOf(headers: Headers): SessionInfo | undefined {
    const secret = readCookie(headers, SESSION_COOKIE);
    return secret ? this.store.use(secret) : undefined;
  }

  csrfToken(sessionId: string): string {
    return createHmac('sha256', this.key()).update(`csrf\0${sessionId}`).digest('base64url');
  }

  checkCsrf(sessionId: string, token: string | undefined): boolean {
    if (!token) return false;
    const given = Buffer.from(token);
    const expected = Buffer.from(this.csrfToken(sessionId));
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  /**
   * The caller for an API request carrying a session cookie, or undefined when it
   * carries none (or a dead one). API calls with the cookie must come from the
   * same origin, and anything but GET/HEAD must also echo the CSRF token in
   * x-fazt-csrf, which a page on another origin (an app's subdomain included) cannot read.
   */
  callerFor(req: IncomingMessage): Caller | undefined {
    const s = this.sessionOf(req.headers);
    if (!s) return undefined;
    if (!sameOriginRequest(req)) throw new OpError('FORBIDDEN', 'Cross-site request refused: the dashboard session works only from its own pages.', { reason: 'cross-site' });
    const safe = req.method === 'GET' || req.method === 'HEAD';
    const header = req.headers[CSRF_HEADER];
    if (!safe && !this.checkCsrf(s.id, typeof header === 'string' ? header : undefined)) {
      throw new OpError('FORBIDDEN', `Missing or wrong CSRF token: send the ${CSRF_HEADER} header the dashboard sets.`, { reason: 'csrf' });
    }
    return { kind: 'owner', name: `${SESSION_CALLER_PREFIX}${s.id}`, caps: [...OWNER_CAPS], human: true };
  }

  private key(): Buffer {
    if (this.csrfKey) return this.csrfKey;
    const secrets = this.kernel.services.secrets;
    let k = secrets.get(CSRF_KEY_SECRET);
    if (!k) secrets.set(CSRF_KEY_SECRET, (k = randomBytes(32).toString('base64url')));
    return (this.csrfKey = Buffer.from(k, 'base64url'));
  }
}

/** The session id inside a session caller's name, or undefined for any other caller. */
export function sessionIdOf(caller: Caller): string | undefined {
  return caller.kind === 'owner' && caller.name.startsWith(SESSION_CALLER_PREFIX) ? caller.name.slice(SESSION_CALLER_PREFIX.length) : undefined;
}

declare module '../kernel/services.js' {
  interface Services {
    ownerSessions: OwnerSessions;
  }
}
