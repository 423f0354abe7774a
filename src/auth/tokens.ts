import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import type { DB } from '../store/db.js';
import { nowIso } from '../store/db.js';
import type { Caller } from '../kernel/ops/define.js';

export interface TokenInfo {
  id: string;
  name: string;
  kind: 'owner' | 'token';
  caps: string[];
  createdAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

interface TokenRow {
  id: string;
  name: string;
  kind: 'owner' | 'token';
  hash: string;
  caps: string;
  created_at: string;
  expires_at: string | null;
  last_used_at: string | null;
  revoked_at: string | null;
}

/** The owner holds everything in the kernel and in every app. */
export const OWNER_CAPS = ['kernel:*', 'app:*'];

const TOKEN_RE = /^fzt_([a-f0-9]{12})_([A-Za-z0-9_-]{43})$/;

function hashSecret(secret: string): Buffer {
  return createHash('sha256').update(secret).digest();
}

function toInfo(r: TokenRow): TokenInfo {
  return {
    id: r.id,
    name: r.name,
    kind: r.kind,
    caps: JSON.parse(r.caps),
    createdAt: r.created_at,
    expiresAt: r.expires_at,
    lastUsedAt: r.last_used_at,
    revokedAt: r.revoked_at,
  };
}

export type VerifyFailure = 'malformed' | 'unknown' | 'revoked' | 'expired';

/**
 * Tokens look like `fzt_<id>_<secret>`. Only sha256(secret) is stored; the row is
 * found by id and the hash compared in constant time.
 */
export class TokenStore {
  private lastUseWrites = new Map<string, number>();
  // Verification runs on every authenticated request: keep its statements prepared.
  private readonly byId;
  private readonly touchStmt;

  constructor(private readonly db: DB) {
    this.byId = db.prepare('SELECT * FROM tokens WHERE id = ?');
    this.touchStmt = db.prepare('UPDATE tokens SET last_used_at = ? WHERE id = ?');
  }

  create(name: string, kind: 'owner' | 'token', caps: string[], expiresAt: string | null): { token: string; info: TokenInfo } {
    const id = randomBytes(6).toString('hex');
    const secret = randomBytes(32).toString('base64url');
    this.db
      .prepare('INSERT INTO tokens (id, name, kind, hash, caps, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(id, name, kind, hashSecret(secret).toString('hex'), JSON.stringify(caps), nowIso(), expiresAt);
    return { token: `fzt_${id}_${secret}`, info: this.get(id)! };
  }

  get(id: string): TokenInfo | undefined {
    const r = this.byId.get(id) as TokenRow | undefined;
    return r && toInfo(r);
  }

  findLive(idOrName: string): TokenInfo | undefined {
    const r = this.db
      .prepare('SELECT * FROM tokens WHERE (id = ? OR name = ?) AND revoked_at IS NULL ORDER BY created_at DESC LIMIT 1')
      .get(idOrName, idOrName) as TokenRow | undefined;
    return r && toInfo(r);
  }

  list(includeRevoked = false): TokenInfo[] {
    const sql = includeRevoked ? 'SELECT * FROM tokens ORDER BY created_at' : 'SELECT * FROM tokens WHERE revoked_at IS NULL ORDER BY created_at';
    return (this.db.prepare(sql).all() as TokenRow[]).map(toInfo);
  }

  revoke(id: string): boolean {
    return this.db.prepare('UPDATE tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL').run(nowIso(), id).changes > 0;
  }

  hasOwner(): boolean {
    return !!this.db.prepare("SELECT 1 FROM tokens WHERE kind = 'owner' AND revoked_at IS NULL").get();
  }

  verify(token: string): { ok: true; info: TokenInfo } | { ok: false; reason: VerifyFailure } {
    const m = TOKEN_RE.exec(token.trim());
    if (!m) return { ok: false, reason: 'malformed' };
    const r = this.byId.get(m[1]) as TokenRow | undefined;
    const expected = r ? Buffer.from(r.hash, 'hex') : hashSecret(randomUUID());
    const equal = timingSafeEqual(expected, hashSecret(m[2]));
    if (!r || !equal) return { ok: false, reason: 'unknown' };
    if (r.revoked_at) return { ok: false, reason: 'revoked' };
    if (r.expires_at && Date.parse(r.expires_at) <= Date.now()) return { ok: false, reason: 'expired' };
    this.touch(r.id);
    return { ok: true, info: toInfo(r) };
  }

  /** Last use is recorded at most once a minute per token, to keep the hot path cheap. */
  private touch(id: string): void {
    const now = Date.now();
    if (now - (this.lastUseWrites.get(id) ?? 0) < 60_000) return;
    this.lastUseWrites.set(id, now);
    this.touchStmt.run(new Date(now).toISOString(), id);
  }
}

export function callerForToken(info: TokenInfo): Caller {
  return {
    kind: info.kind === 'owner' ? 'owner' : 'token',
    name: info.name,
    caps: info.kind === 'owner' ? OWNER_CAPS : info.caps,
    human: false,
    tokenId: info.id,
  };
}

export function verifyFailureMessage(reason: VerifyFailure): string {
  switch (reason) {
    case 'malformed':
      return 'The token is not a fazt token (expected fzt_<id>_<secret>).';
    case 'unknown':
      return 'The token is not valid.';
    case 'revoked':
      return 'The token has been revoked.';
    case 'expired':
      return 'The token has expired.';
  }
}

/** Parses durations like 30d, 12h, 15m, 45s, 500ms into milliseconds. */
export function parseDuration(text: string): number | null {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h|d|w)$/.exec(text.trim());
  if (!m) return null;
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 }[m[2] as 'ms'];
  return Math.round(Number(m[1]) * unit);
}
