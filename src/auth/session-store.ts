import { createHash, randomBytes } from 'node:crypto';
import type { DB } from '../store/db.js';

export interface SessionInfo {
  id: string;
  method: 'password' | 'owner-key';
  createdAt: string;
  lastSeenAt: string;
  expiresAt: string;
  idleExpiresAt: string;
  userAgent: string | null;
  address: string | null;
  revokedAt: string | null;
}

interface SessionRow {
  id: string;
  secret_hash: string;
  method: SessionInfo['method'];
  created_at: string;
  last_seen_at: string;
  expires_at: string;
  revoked_at: string | null;
  user_agent: string | null;
  address: string | null;
}

/** A session ends after this long without use, and in any case after its absolute lifetime. */
export const SESSION_IDLE_MS = 12 * 3_600_000;
export const SESSION_LIFETIME_MS = 7 * 24 * 3_600_000;

const hashSecret = (secret: string) => createHash('sha256').update(secret).digest('hex');

/**
 * Owner browser sessions. The cookie holds a random secret; the table holds only
 * its sha256 and a public id (what lists and revocation use), so a copy of
 * data.db signs nobody in.
 */
export class SessionStore {
  private readonly byHash;
  private readonly touchStmt;
  private readonly lastTouch = new Map<string, number>();

  constructor(private readonly db: DB) {
    this.byHash = db.prepare('SELECT * FROM owner_sessions WHERE secret_hash = ?');
    this.touchStmt = db.prepare('UPDATE owner_sessions SET last_seen_at = ? WHERE id = ?');
  }

  create(method: SessionInfo['method'], meta: { userAgent?: string; address?: string }): { secret: string; info: SessionInfo } {
    const id = randomBytes(8).toString('hex');
    const secret = randomBytes(32).toString('base64url');
    const now = new Date();
    this.db
      .prepare('INSERT INTO owner_sessions (id, secret_hash, method, created_at, last_seen_at, expires_at, user_agent, address) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
      .run(id, hashSecret(secret), method, now.toISOString(), now.toISOString(), new Date(now.getTime() + SESSION_LIFETIME_MS).toISOString(), meta.userAgent?.slice(0, 200) ?? null, meta.address ?? null);
    this.prune();
    return { secret, info: this.get(id)! };
  }

  /** The live session a cookie secret names, recording its use; undefined when unknown, revoked or expired. */
  use(secret: string): SessionInfo | undefined {
    const r = this.byHash.get(hashSecret(secret)) as SessionRow | undefined;
    if (!r || r.revoked_at) return undefined;
    const info = toInfo(r);
    const now = Date.now();
    if (Date.parse(info.expiresAt) <= now || Date.parse(info.idleExpiresAt) <= now) return undefined;
    // Last use is written at most once a minute per session: this runs on every dashboard request.
    if (now - (this.lastTouch.get(r.id) ?? 0) >= 60_000) {
      this.lastTouch.set(r.id, now);
      this.touchStmt.run(new Date(now).toISOString(), r.id);
    }
    return info;
  }

  get(id: string): SessionInfo | undefined {
    const r = this.db.prepare('SELECT * FROM owner_sessions WHERE id = ?').get(id) as SessionRow | undefined;
    return r && toInfo(r);
  }

  /** Live sessions, newest first. */
  list(): SessionInfo[] {
    const now = Date.now();
    return (this.db.prepare('SELECT * FROM owner_sessions WHERE revoked_at IS NULL ORDER BY created_at DESC').all() as SessionRow[])
      .map(toInfo)
      .filter((s) => Date.parse(s.expiresAt) > now && Date.parse(s.idleExpiresAt) > now);
  }

  revoke(id: string): boolean {
    return this.db.prepare('UPDATE owner_sessions SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL').run(new Date().toISOString(), id).changes > 0;
  }

  revokeAll(): number {
    return this.db.prepare('UPDATE owner_sessions SET revoked_at = ? WHERE revoked_at IS NULL').run(new Date().toISOString()).changes;
  }

  /** Rows of sessions over a day past their end are of no further use. */
  private prune(): void {
    const cutoff = new Date(Date.now() - 24 * 3_600_000).toISOString();
    this.db.prepare('DELETE FROM owner_sessions WHERE expires_at < ? OR revoked_at < ? OR last_seen_at < ?').run(cutoff, cutoff, new Date(Date.now() - SESSION_IDLE_MS - 24 * 3_600_000).toISOString());
  }
}

function toInfo(r: SessionRow): SessionInfo {
  const idle = new Date(Date.parse(r.last_seen_at) + SESSION_IDLE_MS).toISOString();
  return {
    id: r.id,
    method: r.method,
    createdAt: r.created_at,
    lastSeenAt: r.last_seen_at,
    expiresAt: r.expires_at,
    idleExpiresAt: idle < r.expires_at ? idle : r.expires_at,
    userAgent: r.user_agent,
    address: r.address,
    revokedAt: r.revoked_at,
  };
}
