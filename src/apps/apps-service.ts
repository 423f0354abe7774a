import type { Statement } from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import type { Kernel } from '../kernel/kernel.js';
import { OpError } from '../kernel/ops/errors.js';
import { nowIso } from '../store/db.js';

export interface AppRecord {
  id: string;
  slug: string;
  name: string;
  system: boolean;
  activeVersion: number | null;
  createdAt: string;
  updatedAt: string;
  url: string;
}

interface AppRow {
  id: string; slug: string; name: string; system: number; active_version: number | null; created_at: string; updated_at: string;
}

export const SYSTEM_APPS = ['admin', 'root', '404'] as const;
export const SLUG_RE = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

export function validateSlug(slug: string): void {
  if (!SLUG_RE.test(slug)) {
    throw new OpError('BAD_INPUT', `Invalid app name '${slug}': use 1-63 lower-case letters, digits and '-', not starting or ending with '-'.`, {
      fields: [{ path: 'slug', message: 'must match [a-z0-9-]{1,63}' }],
    });
  }
}

/** Turns a display name into a slug: "My Photo Site" → "my-photo-site". */
export function slugify(name: string): string {
  return name.toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 63).replace(/-+$/, '');
}

/** Apps are the unit of hosting: a stable id, a slug for the host name, versions of files. */
export class AppsService {
  // Prepared on first use and kept: lookups run on every app request and listing.
  private findStmt?: Statement;
  private listAllStmt?: Statement;
  private listUserStmt?: Statement;
  constructor(private readonly kernel: Kernel) {}

  urlFor(slug: string): string {
    const { domain, port } = this.kernel.config;
    const host = slug === 'root' ? domain : `${slug}.${domain}`;
    return `http://${host}${port === 80 ? '' : `:${port}`}/`;
  }

  private toRecord(r: AppRow): AppRecord {
    return {
      id: r.id, slug: r.slug, name: r.name, system: !!r.system, activeVersion: r.active_version,
      createdAt: r.created_at, updatedAt: r.updated_at, url: this.urlFor(r.slug),
    };
  }

  list(includeSystem = true): AppRecord[] {
    const stmt = includeSystem
      ? (this.listAllStmt ??= this.kernel.db.prepare('SELECT * FROM apps ORDER BY slug'))
      : (this.listUserStmt ??= this.kernel.db.prepare('SELECT * FROM apps WHERE system = 0 ORDER BY slug'));
    const rows = stmt.all() as AppRow[];
    return rows.map((r) => this.toRecord(r));
  }

  /** Finds an app by id or slug. */
  find(ref: string): AppRecord | undefined {
    this.findStmt ??= this.kernel.db.prepare('SELECT * FROM apps WHERE id = ? OR slug = ?');
    const r = this.findStmt.get(ref, ref) as AppRow | undefined;
    return r && this.toRecord(r);
  }

  get(ref: string): AppRecord {
    const app = this.find(ref);
    if (!app) throw new OpError('NOT_FOUND', `No app '${ref}'. Run 'fazt apps list' to see your apps.`, { app: ref });
    return app;
  }

  create(name: string, slug?: string, opts: { system?: boolean } = {}): AppRecord {
    const s = slug ?? slugify(name);
    validateSlug(s);
    if (!opts.system && (SYSTEM_APPS as readonly string[]).includes(s)) {
      throw new OpError('CONFLICT', `'${s}' is a system app name and cannot be used.`);
    }
    if (this.find(s)) throw new OpError('CONFLICT', `An app named '${s}' already exists.`, { slug: s });
    const id = 'app_' + randomBytes(8).toString('hex');
    const now = nowIso();
    this.kernel.db
      .prepare('INSERT INTO apps (id, slug, name, system, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)')
      .run(id, s, name, opts.system ? 1 : 0, now, now);
    const app = this.get(id);
    this.kernel.events.emit({ type: 'system.app.created', source: 'system', data: { id, slug: s } });
    return app;
  }

  /** Deletes an app with its versions, then any file content no other version uses. */
  delete(ref: string): AppRecord {
    const app = this.get(ref);
    if (app.system) throw new OpError('FORBIDDEN', `'${app.slug}' is a system app and cannot be deleted.`);
    const db = this.kernel.db;
    db.transaction(() => {
      db.prepare('DELETE FROM apps WHERE id = ?').run(app.id);
      db.prepare('DELETE FROM blobs WHERE sha256 NOT IN (SELECT sha256 FROM version_files)').run();
    })();
    this.kernel.events.emit({ type: 'system.app.deleted', source: 'system', data: { id: app.id, slug: app.slug } });
    return app;
  }

  ensureSystemApps(): void {
    for (const slug of SYSTEM_APPS) if (!this.find(slug)) this.create(slug, slug, { system: true });
  }
}
