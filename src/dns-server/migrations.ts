import type { Migration } from '../store/migrations.js';

export const dnsServerMigrations: Migration[] = [
  {
    version: 1,
    name: 'hosted zones and their records',
    up: `
      CREATE TABLE dns_zones (
        name TEXT PRIMARY KEY, serial INTEGER NOT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL);
      CREATE TABLE dns_records (
        id TEXT PRIMARY KEY, zone TEXT NOT NULL REFERENCES dns_zones(name) ON DELETE CASCADE,
        name TEXT NOT NULL, type TEXT NOT NULL, value TEXT NOT NULL, ttl INTEGER NOT NULL, priority INTEGER,
        created_at TEXT NOT NULL);
      CREATE INDEX dns_records_owner ON dns_records(zone, name, type);
    `,
  },
];
