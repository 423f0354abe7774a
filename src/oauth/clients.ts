import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { DB } from '../store/db.js';
import { nowIso } from '../store/db.js';
import { AddressWindow } from './address-window.js';
import { fetchClientDocument, type FetchLimits } from './cimd-fetch.js';
import { parseClientMetadata, type AuthMethod, type ClientMetadata } from './client-metadata.js';
import { OAuthError } from './oauth-error.js';
import { hashOf } from './secrets.js';

export interface OAuthClient extends ClientMetadata {
  clientId: string;
  /** 'registered' by RFC 7591, or 'document' when the client id is the URL of its metadata. */
  kind: 'registered' | 'document';
  createdAt: string;
}

interface ClientRow {
  client_id: string;
  kind: 'registered' | 'document';
  name: string;
  uri: string | null;
  redirect_uris: string;
  grant_types: string;
  auth_method: AuthMethod;
  secret_hash: string | null;
  created_at: string;
  fetched_at: string | null;
}

export interface RegistrationLimits {
  /** Registrations kept at most; the oldest never-used ones make room first. */
  maxClients: number;
  /** Registrations per client address per hour. */
  perAddressPerHour: number;
  /** Metadata documents fetched per client address per minute. */
  fetchesPerMinute: number;
}

function toClient(r: ClientRow): OAuthClient {
  return {
    clientId: r.client_id, kind: r.kind, name: r.name, uri: r.uri, redirectUris: JSON.parse(r.redirect_uris),
    grantTypes: JSON.parse(r.grant_types), authMethod: r.auth_method, createdAt: r.created_at,
  };
}

/** How long a fetched metadata document is trusted before it is fetched again. */
const DOCUMENT_TTL_MS = 10 * 60_000;

/** Registered clients (RFC 7591) and clients known by their metadata document URL. */
export class ClientStore {
  private readonly registrations: AddressWindow;
  /** Anyone can make us fetch a document by opening /authorize: bounded per address. */
  private readonly fetches: AddressWindow;

  constructor(private readonly db: DB, private readonly fetchLimits: FetchLimits, private readonly limits: RegistrationLimits) {
    this.registrations = new AddressWindow(limits.perAddressPerHour, 3_600_000);
    this.fetches = new AddressWindow(limits.fetchesPerMinute, 60_000);
  }

  private row(clientId: string): ClientRow | undefined {
    return this.db.prepare('SELECT * FROM oauth_clients WHERE client_id = ?').get(clientId) as ClientRow | undefined;
  }

  get(clientId: string): OAuthClient | undefined {
    const r = this.row(clientId);
    return r && toClient(r);
  }

  list(): OAuthClient[] {
    return (this.db.prepare('SELECT * FROM oauth_clients ORDER BY created_at').all() as ClientRow[]).map(toClient);
  }

  /** RFC 7591 registration: checks the metadata, the caller's budget and the table's size. */
  register(doc: unknown, address: string): { client: OAuthClient; secret?: string } {
    const meta = parseClientMetadata(doc, { allowSecret: true });
    this.charge(address);
    this.makeRoom();
    const clientId = `fzc_${randomBytes(12).toString('base64url')}`;
    const secret = meta.authMethod === 'none' ? undefined : `fzs_${randomBytes(32).toString('base64url')}`;
    this.db
      .prepare('INSERT INTO oauth_clients (client_id, kind, name, uri, redirect_uris, grant_types, auth_method, secret_hash, registered_from, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)')
      .run(clientId, 'registered', meta.name, meta.uri, JSON.stringify(meta.redirectUris), JSON.stringify(meta.grantTypes), meta.authMethod, secret ? hashOf(secret) : null, address, nowIso());
    return { client: this.get(clientId)!, secret };
  }

  /** The client a request names: a registration, or (for an https URL) its metadata document, fetched or cached. */
  async resolve(clientId: string, address: string): Promise<OAuthClient> {
    if (!clientId) throw new OAuthError('invalid_request', 'client_id is required.');
    if (clientId.length > 2000) throw new OAuthError('invalid_client', 'client_id is too long.');
    const r = this.row(clientId);
    if (r?.kind === 'registered') return toClient(r);
    if (!/^https?:\/\//i.test(clientId)) throw new OAuthError('invalid_client', `Unknown client_id '${clientId}': register first (POST /register) or use the https URL of a client metadata document.`);
    if (r && r.fetched_at && Date.now() - Date.parse(r.fetched_at) < DOCUMENT_TTL_MS) return toClient(r);
    if (!this.fetches.take(address)) throw new OAuthError('temporarily_unavailable', `Too many client metadata documents fetched for this address (at most ${this.fetches.max} a minute); try again shortly.`, 429);
    const doc = await fetchClientDocument(clientId, this.fetchLimits);
    if ((doc as { client_id?: unknown })?.client_id !== clientId) throw new OAuthError('invalid_client', 'The client metadata document must name its own URL as client_id.');
    if ((doc as { client_secret?: unknown }).client_secret !== undefined) throw new OAuthError('invalid_client', 'A client metadata document must not carry a client_secret.');
    const meta = parseClientMetadata(doc, { allowSecret: false });
    const now = nowIso();
    this.db
      .prepare(`INSERT INTO oauth_clients (client_id, kind, name, uri, redirect_uris, grant_types, auth_method, created_at, fetched_at) VALUES (?, 'document', ?, ?, ?, ?, 'none', ?, ?)
        ON CONFLICT (client_id) DO UPDATE SET name = excluded.name, uri = excluded.uri, redirect_uris = excluded.redirect_uris, grant_types = excluded.grant_types, fetched_at = excluded.fetched_at`)
      .run(clientId, meta.name, meta.uri, JSON.stringify(meta.redirectUris), JSON.stringify(meta.grantTypes), now, now);
    return this.get(clientId)!;
  }

  /**
   * Client authentication at /token and /revoke: a public client names itself;
   * a confidential one must prove its secret (Basic or in the body).
   */
  authenticate(clientId: string | undefined, secret: string | undefined): OAuthClient {
    if (!clientId) throw new OAuthError('invalid_client', 'client_id is required (in the body, or with HTTP Basic for a client with a secret).');
    const r = this.row(clientId);
    if (!r) throw new OAuthError('invalid_client', 'Unknown client.');
    if (r.secret_hash) {
      const given = Buffer.from(hashOf(secret ?? ''), 'hex');
      if (!secret || !timingSafeEqual(given, Buffer.from(r.secret_hash, 'hex'))) throw new OAuthError('invalid_client', 'The client secret is missing or wrong.');
    }
    return toClient(r);
  }

  delete(clientId: string): boolean {
    return this.db.prepare('DELETE FROM oauth_clients WHERE client_id = ?').run(clientId).changes > 0;
  }

  private charge(address: string): void {
    if (!this.registrations.take(address)) {
      throw new OAuthError('temporarily_unavailable', `Too many registrations from this address (at most ${this.limits.perAddressPerHour} an hour); try again later.`, 429);
    }
  }

  /** Registration needs no account, so the table is bounded: registrations never used for a grant, oldest first, make room. */
  private makeRoom(): void {
    const count = (this.db.prepare("SELECT COUNT(*) AS n FROM oauth_clients WHERE kind = 'registered'").get() as { n: number }).n;
    if (count < this.limits.maxClients) return;
    const removed = this.db
      .prepare(`DELETE FROM oauth_clients WHERE client_id IN (SELECT client_id FROM oauth_clients c WHERE kind = 'registered'
        AND NOT EXISTS (SELECT 1 FROM oauth_grants g WHERE g.client_id = c.client_id) ORDER BY created_at LIMIT ?)`)
      .run(count - this.limits.maxClients + 1).changes;
    if (removed === 0) throw new OAuthError('temporarily_unavailable', `This server holds its limit of ${this.limits.maxClients} registered clients, all in use.`, 503);
  }
}
