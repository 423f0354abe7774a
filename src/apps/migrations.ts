import type { Migration } from '../store/migrations.js';

export const appsMigrations: Migration[] = [
  {
    version: 1,
    name: 'apps, versions, content-addressed files',
    up: `
      CREATE TABLE apps (
        id TEXT PRIMARY KEY, slug TEXT NOT NULL UNIQUE, name TEXT NOT NULL, system INTEGER NOT NULL DEFAULT 0,
        active_version INTEGER, created_at TEXT NOT NULL, updated_at TEXT NOT NULL);
      CREATE TABLE app_versions (
        app_id TEXT NOT NULL REFERENCES apps(id) ON DELETE CASCADE, version INTEGER NOT NULL,
        status TEXT NOT NULL, file_count INTEGER NOT NULL DEFAULT 0, total_bytes INTEGER NOT NULL DEFAULT 0,
        manifest TEXT, created_at TEXT NOT NULL, created_by TEXT, PRIMARY KEY (app_id, version));
      CREATE TABLE version_files (
        app_id TEXT NOT NULL, version INTEGER NOT NULL, path TEXT NOT NULL, sha256 TEXT NOT NULL,
        size INTEGER NOT NULL, mime TEXT NOT NULL, PRIMARY KEY (app_id, version, path),
        FOREIGN KEY (app_id, version) REFERENCES app_versions(app_id, version) ON DELETE CASCADE);
      CREATE INDEX version_files_sha ON version_files(sha256);
      CREATE TABLE blobs (sha256 TEXT PRIMARY KEY, size INTEGER NOT NULL, data BLOB NOT NULL, created_at TEXT NOT NULL);
    `,
  },
  {
    version: 2,
    name: 'deploy messages, compressed variants of blobs',
    up: `
      ALTER TABLE app_versions ADD COLUMN message TEXT;
      ALTER TABLE app_versions ADD COLUMN error TEXT;
      CREATE INDEX app_versions_status ON app_versions(status);
      CREATE TABLE blob_variants (
        sha256 TEXT NOT NULL REFERENCES blobs(sha256) ON DELETE CASCADE, encoding TEXT NOT NULL,
        data BLOB, PRIMARY KEY (sha256, encoding));
    `,
  },
  {
    version: 3,
    name: 'custom domains per app',
    up: `
      CREATE TABLE app_domains (
        domain TEXT PRIMARY KEY, app_id TEXT NOT NULL REFERENCES apps(id) ON DELETE CASCADE, created_at TEXT NOT NULL);
      CREATE INDEX app_domains_app ON app_domains(app_id);
    `,
  },
];
