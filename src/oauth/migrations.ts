import type { Migration } from '../store/migrations.js';

export const oauthMigrations: Migration[] = [
  {
    version: 1,
    name: 'oauth clients, codes, grants, refresh tokens',
    // Codes and refresh tokens are kept only as sha256 hashes: the tables never hold a working credential.
    up: `CREATE TABLE oauth_clients (
      client_id TEXT PRIMARY KEY,
      kind TEXT NOT NULL,
      name TEXT NOT NULL,
      uri TEXT,
      redirect_uris TEXT NOT NULL,
      grant_types TEXT NOT NULL,
      auth_method TEXT NOT NULL,
      secret_hash TEXT,
      registered_from TEXT,
      created_at TEXT NOT NULL,
      fetched_at TEXT
    );
    CREATE TABLE oauth_codes (
      code_hash TEXT PRIMARY KEY,
      client_id TEXT NOT NULL,
      redirect_uri TEXT NOT NULL,
      challenge TEXT NOT NULL,
      resource TEXT NOT NULL,
      caps TEXT NOT NULL,
      expires_at INTEGER NOT NULL,
      used_at TEXT
    );
    CREATE TABLE oauth_grants (
      id TEXT PRIMARY KEY,
      client_id TEXT NOT NULL,
      resource TEXT NOT NULL,
      caps TEXT NOT NULL,
      code_hash TEXT NOT NULL,
      access_token_id TEXT,
      created_at TEXT NOT NULL,
      revoked_at TEXT,
      revoked_reason TEXT
    );
    CREATE INDEX oauth_grants_code ON oauth_grants (code_hash);
    CREATE INDEX oauth_grants_client ON oauth_grants (client_id);
    CREATE TABLE oauth_refresh (
      hash TEXT PRIMARY KEY,
      grant_id TEXT NOT NULL,
      expires_at INTEGER NOT NULL,
      rotated_at TEXT
    );
    CREATE INDEX oauth_refresh_grant ON oauth_refresh (grant_id);
    CREATE TABLE oauth_access (
      token_id TEXT PRIMARY KEY,
      grant_id TEXT NOT NULL,
      audience_path TEXT NOT NULL
    );
    CREATE INDEX oauth_access_grant ON oauth_access (grant_id);`,
  },
];
