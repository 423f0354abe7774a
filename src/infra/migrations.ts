import type { Migration } from '../store/migrations.js';

export const infraMigrations: Migration[] = [
  {
    version: 1,
    name: 'infra servers and peers',
    up: `
      CREATE TABLE infra_servers (
        id TEXT PRIMARY KEY, provider TEXT NOT NULL, provider_id TEXT NOT NULL, name TEXT NOT NULL,
        type TEXT NOT NULL, region TEXT NOT NULL, monthly REAL, currency TEXT, created_at TEXT NOT NULL,
        host_key TEXT, peer_url TEXT, peer_port INTEGER, local_dir TEXT, local_port INTEGER, reg_token_id TEXT);
      CREATE UNIQUE INDEX infra_servers_name ON infra_servers(provider, name);
    `,
  },
  {
    version: 2,
    name: 'local servers have an address of their own',
    up: `ALTER TABLE infra_servers ADD COLUMN local_address TEXT;`,
  },
];
