import type { Migration } from '../store/migrations.js';

export const sslMigrations: Migration[] = [
  {
    version: 1,
    name: 'certificates and ACME accounts',
    up: `
      CREATE TABLE ssl_certs (
        domain TEXT PRIMARY KEY,
        names TEXT NOT NULL,
        source TEXT NOT NULL,
        cert_pem TEXT,
        serial TEXT, issuer TEXT, not_before TEXT, not_after TEXT,
        renew_at TEXT,
        status TEXT NOT NULL,
        last_error TEXT,
        problem TEXT,
        failures INTEGER NOT NULL DEFAULT 0,
        next_attempt_at TEXT,
        created_at TEXT NOT NULL, updated_at TEXT NOT NULL);
      CREATE TABLE ssl_accounts (
        directory TEXT PRIMARY KEY, account_url TEXT, email TEXT, created_at TEXT NOT NULL);
    `,
  },
];
