import { randomBytes } from 'node:crypto';
import type { Kernel } from '../kernel/kernel.js';
import { nowIso } from '../store/db.js';
import type { OAuthClient } from './clients.js';
import { OAuthError } from './oauth-error.js';
import { hashOf, newSecret, pkceMatches, VERIFIER_RE } from './secrets.js';

export interface Lifetimes {
  codeMs: number;
  accessMs: number;
  refreshMs: number;
}

export interface TokenResponse {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  scope: string;
  refresh_token?: string;
}

export interface Grant {
  id: string;
  clientId: string;
  resource: string;
  caps: string[];
  accessTokenId: string | null;
  createdAt: string;
  revokedAt: string | null;
  revokedReason: string | null;
}

interface GrantRow {
  id: string;
  client_id: string;
  resource: string;
  caps: string;
  code_hash: string;
  access_token_id: string | null;
  created_at: string;
  revoked_at: string | null;
  revoked_reason: string | null;
}

interface CodeRow {
  code_hash: string;
  client_id: string;
  redirect_uri: string;
  challenge: string;
  resource: string;
  caps: string;
  expires_at: number;
  used_at: string | null;
}

/** Errors after a revocation are returned, not thrown, so the transaction keeps the revocation. */
function settle(r: TokenResponse | OAuthError): TokenResponse {
  if (r instanceof OAuthError) throw r;
  return r;
}

function toGrant(r: GrantRow): Grant {
  return {
    id: r.id, clientId: r.client_id, resource: r.resource, caps: JSON.parse(r.caps), accessTokenId: r.access_token_id,
    createdAt: r.created_at, revokedAt: r.revoked_at, revokedReason: r.revoked_reason,
  };
}

/** A token name that says which client holds it, e.g. oauth.claude.3f9a1c: audit rows show it as the caller. */
function tokenName(client: OAuthClient, grantId: string): string {
  const slug = client.name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 32) || 'client';
  return `oauth.${slug}.${grantId.slice(0, 6)}`;
}

/**
 * Authorization codes, grants and refresh tokens. A grant is what the owner
 * consented to (client, resource, capabilities); its access token is an ordinary
 * fazt token, and its refresh token rotates on every use.
 */
export class Grants {
  private readonly audienceStmt;

  constructor(private readonly kernel: Kernel, private readonly lifetimes: Lifetimes) {
    this.audienceStmt = kernel.db.prepare('SELECT audience_path FROM oauth_access WHERE token_id = ?').pluck();
  }

  /** The resource path an OAuth-issued token is bound to; undefined for tokens made any other way. */
  audienceOf(tokenId: string): string | undefined {
    return this.audienceStmt.get(tokenId) as string | undefined;
  }

  issueCode(p: { client: OAuthClient; redirectUri: string; challenge: string; resource: string; caps: string[] }): string {
    const code = newSecret('fza_');
    const db = this.kernel.db;
    db.prepare('DELETE FROM oauth_codes WHERE expires_at < ?').run(Date.now() - 86_400_000);
    db.prepare('INSERT INTO oauth_codes (code_hash, client_id, redirect_uri, challenge, resource, caps, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(hashOf(code), p.client.clientId, p.redirectUri, p.challenge, p.resource, JSON.stringify(p.caps), Date.now() + this.lifetimes.codeMs);
    return code;
  }

  /** authorization_code grant. A code presented twice revokes everything issued from it (RFC 6749 §4.1.2). */
  exchangeCode(client: OAuthClient, p: { code: string; verifier?: string; redirectUri?: string; resource?: string }): TokenResponse {
    return settle(this.kernel.db.transaction((): TokenResponse | OAuthError => {
      const codeHash = hashOf(p.code);
      const row = this.kernel.db.prepare('SELECT * FROM oauth_codes WHERE code_hash = ?').get(codeHash) as CodeRow | undefined;
      if (!row || row.client_id !== client.clientId) throw new OAuthError('invalid_grant', 'The authorization code is not valid.');
      if (row.used_at) {
        const revoked = this.revokeWhere('code_hash = ?', codeHash, 'authorization code reused');
        return new OAuthError('invalid_grant', `The authorization code was already used; the ${revoked} grant(s) issued from it are revoked.`);
      }
      if (row.expires_at <= Date.now()) throw new OAuthError('invalid_grant', 'The authorization code has expired.');
      if (p.redirectUri !== row.redirect_uri) throw new OAuthError('invalid_grant', 'redirect_uri must be the one sent to /authorize.');
      if (!p.verifier) throw new OAuthError('invalid_request', 'code_verifier is required (PKCE).');
      if (!VERIFIER_RE.test(p.verifier)) throw new OAuthError('invalid_request', 'code_verifier must be 43 to 128 characters of A-Z a-z 0-9 - . _ ~.');
      if (!pkceMatches(p.verifier, row.challenge)) throw new OAuthError('invalid_grant', 'code_verifier does not match the code_challenge.');
      if (p.resource !== undefined && p.resource !== row.resource) throw new OAuthError('invalid_target', `resource must be ${row.resource}, the one consented to.`);
      this.kernel.db.prepare('UPDATE oauth_codes SET used_at = ? WHERE code_hash = ?').run(nowIso(), codeHash);
      const grantId = randomBytes(9).toString('hex');
      this.kernel.db.prepare('INSERT INTO oauth_grants (id, client_id, resource, caps, code_hash, created_at) VALUES (?, ?, ?, ?, ?, ?)')
        .run(grantId, client.clientId, row.resource, row.caps, codeHash, nowIso());
      return this.issueTokens(client, this.grant(grantId)!, JSON.parse(row.caps));
    })());
  }

  /** refresh_token grant with rotation: the old refresh token is spent; presenting a spent one revokes the grant. */
  refresh(client: OAuthClient, p: { refreshToken: string; scope?: string; resource?: string }): TokenResponse {
    return settle(this.kernel.db.transaction((): TokenResponse | OAuthError => {
      const hash = hashOf(p.refreshToken);
      const row = this.kernel.db.prepare('SELECT * FROM oauth_refresh WHERE hash = ?').get(hash) as { grant_id: string; expires_at: number; rotated_at: string | null } | undefined;
      const grant = row && this.grant(row.grant_id);
      if (!row || !grant || grant.clientId !== client.clientId) throw new OAuthError('invalid_grant', 'The refresh token is not valid.');
      if (grant.revokedAt) throw new OAuthError('invalid_grant', 'The refresh token has been revoked.');
      if (row.rotated_at) {
        this.revoke(grant.id, 'refresh token reused');
        return new OAuthError('invalid_grant', 'The refresh token was already used; the grant is revoked. Authorize again.');
      }
      if (row.expires_at <= Date.now()) throw new OAuthError('invalid_grant', 'The refresh token has expired. Authorize again.');
      const current = grant.accessTokenId ? this.kernel.tokens.get(grant.accessTokenId) : undefined;
      if (current?.revokedAt) {
        // Its access token was revoked by the owner (tokens.revoke): the whole grant goes with it.
        this.revoke(grant.id, 'access token revoked');
        return new OAuthError('invalid_grant', 'The grant has been revoked.');
      }
      if (p.resource !== undefined && p.resource !== grant.resource) throw new OAuthError('invalid_target', `resource must be ${grant.resource}, the one consented to.`);
      let caps = grant.caps;
      if (p.scope !== undefined) {
        const asked = p.scope.split(' ').filter(Boolean);
        const extra = asked.filter((c) => !grant.caps.includes(c));
        if (extra.length) throw new OAuthError('invalid_scope', `A refresh cannot widen the grant: ${extra.join(', ')} was not consented to.`);
        caps = asked;
      }
      this.kernel.db.prepare('UPDATE oauth_refresh SET rotated_at = ? WHERE hash = ?').run(nowIso(), hash);
      if (grant.accessTokenId) this.kernel.tokens.revoke(grant.accessTokenId);
      return this.issueTokens(client, grant, caps);
    })());
  }

  /** RFC 7009: a refresh or access token of this client ends its whole grant. Unknown tokens are not an error. */
  revokeToken(client: OAuthClient, token: string): void {
    const byRefresh = this.kernel.db.prepare('SELECT grant_id FROM oauth_refresh WHERE hash = ?').pluck().get(hashOf(token)) as string | undefined;
    const id = /^fzt_([a-f0-9]{12})_/.exec(token)?.[1];
    const verified = id ? this.kernel.tokens.verify(token) : undefined;
    const byAccess = verified?.ok ? (this.kernel.db.prepare('SELECT grant_id FROM oauth_access WHERE token_id = ?').pluck().get(verified.info.id) as string | undefined) : undefined;
    const grant = this.grant(byRefresh ?? byAccess ?? '');
    if (grant && grant.clientId === client.clientId) this.revoke(grant.id, 'revoked by the client');
  }

  revoke(grantId: string, reason: string): boolean {
    return this.revokeWhere('id = ?', grantId, reason) > 0;
  }

  grant(id: string): Grant | undefined {
    const r = this.kernel.db.prepare('SELECT * FROM oauth_grants WHERE id = ?').get(id) as GrantRow | undefined;
    return r && toGrant(r);
  }

  list(includeRevoked = false): Grant[] {
    const sql = `SELECT * FROM oauth_grants ${includeRevoked ? '' : 'WHERE revoked_at IS NULL'} ORDER BY created_at`;
    return (this.kernel.db.prepare(sql).all() as GrantRow[]).map(toGrant);
  }

  /** Revokes matching live grants and every access token they were ever issued. */
  private revokeWhere(where: string, arg: string, reason: string): number {
    const rows = this.kernel.db.prepare(`SELECT id FROM oauth_grants WHERE ${where} AND revoked_at IS NULL`).pluck().all(arg) as string[];
    for (const id of rows) {
      this.kernel.db.prepare('UPDATE oauth_grants SET revoked_at = ?, revoked_reason = ? WHERE id = ?').run(nowIso(), reason, id);
      const clientId = this.grant(id)?.clientId;
      this.kernel.audit.record({ op: 'oauth.grant.revoked', caller: { kind: 'system', name: 'oauth', caps: [], human: false }, surface: 'system', input: { grant: id, client: clientId, reason }, outcome: 'ok', durationMs: 0 });
      const tokens = this.kernel.db.prepare('SELECT token_id FROM oauth_access WHERE grant_id = ?').pluck().all(id) as string[];
      for (const t of tokens) this.kernel.tokens.revoke(t);
    }
    return rows.length;
  }

  private issueTokens(client: OAuthClient, grant: Grant, caps: string[]): TokenResponse {
    const expiresAt = new Date(Date.now() + this.lifetimes.accessMs).toISOString();
    const { token, info } = this.kernel.tokens.create(tokenName(client, grant.id), 'token', caps, expiresAt);
    this.kernel.db.prepare('INSERT INTO oauth_access (token_id, grant_id, audience_path) VALUES (?, ?, ?)').run(info.id, grant.id, new URL(grant.resource).pathname);
    this.kernel.db.prepare('UPDATE oauth_grants SET access_token_id = ? WHERE id = ?').run(info.id, grant.id);
    const out: TokenResponse = { access_token: token, token_type: 'Bearer', expires_in: Math.round(this.lifetimes.accessMs / 1000), scope: caps.join(' ') };
    if (client.grantTypes.includes('refresh_token')) {
      const refresh = newSecret('fzr_');
      // Spent refresh tokens are kept until they would have expired (to catch reuse), then dropped.
      this.kernel.db.prepare('DELETE FROM oauth_refresh WHERE expires_at < ?').run(Date.now());
      this.kernel.db.prepare('INSERT INTO oauth_refresh (hash, grant_id, expires_at) VALUES (?, ?, ?)').run(hashOf(refresh), grant.id, Date.now() + this.lifetimes.refreshMs);
      out.refresh_token = refresh;
    }
    return out;
  }
}
