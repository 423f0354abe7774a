import type { Migration } from '../store/migrations.js';

/**
 * App data. Every table starts with (app_id, user_id): user_id is '' for app-level
 * data and a user id for fazt.app.user.*, so one primary key serves both.
 * Blob bytes sit in the last column so listing never reads them.
 */
export const dataMigrations: Migration[] = [
  {
    version: 1,
    name: 'kv, documents, blobs, document field indexes',
    up: `
      CREATE TABLE app_kv (
        app_id TEXT NOT NULL, user_id TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL,
        expires_at INTEGER, updated_at INTEGER NOT NULL,
        PRIMARY KEY (app_id, user_id, key));
      CREATE INDEX app_kv_expiry ON app_kv(expires_at) WHERE expires_at IS NOT NULL;
      CREATE TABLE app_docs (
        app_id TEXT NOT NULL, user_id TEXT NOT NULL, collection TEXT NOT NULL, id TEXT NOT NULL,
        doc TEXT NOT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
        PRIMARY KEY (app_id, user_id, collection, id));
      CREATE TABLE app_doc_indexes (
        field TEXT PRIMARY KEY, index_name TEXT NOT NULL UNIQUE, source TEXT NOT NULL,
        app_id TEXT, collection TEXT, created_at TEXT NOT NULL);
      CREATE TABLE app_blobs (
        app_id TEXT NOT NULL, user_id TEXT NOT NULL, path TEXT NOT NULL, mime TEXT NOT NULL,
        size INTEGER NOT NULL, updated_at TEXT NOT NULL, data BLOB NOT NULL,
        PRIMARY KEY (app_id, user_id, path));
    `,
  },
];
