import { createHash } from 'node:crypto';
import { setImmediate as yieldLoop } from 'node:timers/promises';
import type { Kernel } from '../kernel/kernel.js';
import { OpError, throwIfCanceled } from '../kernel/ops/errors.js';
import { nowIso } from '../store/db.js';
import { validateSlug, type AppRecord } from './apps-service.js';
import { normalizeAppPath } from './file-paths.js';
import { parseManifest, type Manifest } from './manifest.js';
import { mimeFor } from './mime.js';

export interface DeployFileInput {
  path: string;
  content: string;
  encoding?: 'utf8' | 'base64';
}

export interface DeployOptions {
  message?: string;
  createdBy?: string;
  /** Only the server itself may write the system apps (their default pages). */
  allowSystem?: boolean;
  progress?: (done: number, total: number, message?: string) => void;
  signal?: AbortSignal;
}

export interface DeployResult {
  app: AppRecord;
  version: number;
  fileCount: number;
  totalBytes: number;
  /** Bytes of content this server had not stored before (0 for an unchanged redeploy). */
  newBytes: number;
  created: boolean;
  /** What deploy hooks want the person deploying to know. */
  notices: string[];
}

export interface VersionInfo {
  version: number;
  status: 'pending' | 'ready' | 'failed';
  active: boolean;
  fileCount: number;
  totalBytes: number;
  message: string | null;
  error: string | null;
  createdAt: string;
  createdBy: string | null;
}

interface PreparedFile {
  path: string;
  data: Buffer;
  sha256: string;
  mime: string;
}

const DEPLOY_CANCELED = 'The deploy was canceled before it went live; nothing of it was kept.';

export const MAX_DEPLOY_FILES = 20_000;
const CHUNK = 250;

/**
 * Versions and activation. A deploy writes content-addressed blobs and a
 * 'pending' version, lets hooks veto it, then flips it live in one transaction;
 * rollback is the same flip to an older ready version.
 */
export class DeployService {
  constructor(private readonly kernel: Kernel) {}

  /** Decodes and checks every file before anything is written. */
  prepare(files: DeployFileInput[], limit = this.kernel.config.maxUploadBytes): PreparedFile[] {
    if (!files.length) throw new OpError('BAD_INPUT', 'A deploy needs at least one file.', { fields: [{ path: 'files', message: 'empty' }] });
    if (files.length > MAX_DEPLOY_FILES) {
      throw new OpError('TOO_LARGE', `A deploy may hold at most ${MAX_DEPLOY_FILES} files (got ${files.length}).`, { limit: MAX_DEPLOY_FILES });
    }
    const seen = new Set<string>();
    const out: PreparedFile[] = [];
    let total = 0;
    for (const f of files) {
      const path = normalizeAppPath(f.path);
      if (seen.has(path)) throw new OpError('BAD_INPUT', `The file '${path}' appears twice in this deploy.`, { path });
      seen.add(path);
      let data: Buffer;
      if (f.encoding === 'base64') {
        if (!/^[A-Za-z0-9+/_-]*={0,2}$/.test(f.content.replace(/\s+/g, ''))) {
          throw new OpError('BAD_INPUT', `The content of '${path}' is not valid base64.`, { path });
        }
        data = Buffer.from(f.content, 'base64');
      } else {
        data = Buffer.from(f.content, 'utf8');
      }
      total += data.length;
      if (total > limit) throw new OpError('TOO_LARGE', `The deploy is larger than the limit of ${limit} bytes.`, { limit });
      out.push({ path, data, sha256: createHash('sha256').update(data).digest('hex'), mime: mimeFor(path) });
    }
    return out;
  }

  async deploy(appRef: string, files: DeployFileInput[], opts: DeployOptions = {}): Promise<DeployResult> {
    const apps = this.kernel.services.apps;
    let app = apps.find(appRef);
    if (!app) {
      if (appRef.startsWith('app_')) throw new OpError('NOT_FOUND', `No app '${appRef}'.`, { app: appRef });
      validateSlug(appRef);
    }
    if (app?.system && !opts.allowSystem) {
      throw new OpError('FORBIDDEN', `'${app.slug}' is a system app: its pages come with the server and cannot be deployed to.`, { app: app.slug });
    }
    // The upload limit is for what people send; the server's own pages (the dashboard) come with it.
    const prepared = this.prepare(files, opts.allowSystem ? Number.MAX_SAFE_INTEGER : undefined);
    const manifest = parseManifest(prepared.find((f) => f.path === 'manifest.json')?.data);
    const created = !app;
    if (!app) app = apps.create(typeof manifest.name === 'string' && manifest.name.trim() ? manifest.name.trim().slice(0, 100) : appRef, appRef);

    const pending = await this.writePending(app, prepared, manifest, opts).catch((err: unknown) => {
      // Canceled mid-upload: nothing of it stays, not even a failed version.
      if (created && app) this.dropEmptyApp(app.id);
      throw err;
    });
    const { version, newBytes, totalBytes } = pending;
    const notices: string[] = [];
    try {
      throwIfCanceled(opts.signal, DEPLOY_CANCELED);
      await this.kernel.services.deployHooks.runBeforeActivate({
        app,
        version,
        files: new Map(prepared.map((f) => [f.path, f.data])),
        manifest,
        notices,
      });
      this.activate(app.id, version, 'pending');
    } catch (err) {
      if (opts.signal?.aborted) this.discard(app.id, version);
      else this.fail(app.id, version, (err as Error).message);
      if (created) this.dropEmptyApp(app.id);
      throw err;
    }
    const fresh = apps.get(app.id);
    this.kernel.events.emit({
      type: 'system.app.deployed',
      source: 'system',
      data: { id: app.id, slug: app.slug, version, fileCount: prepared.length, totalBytes },
    });
    return { app: fresh, version, fileCount: prepared.length, totalBytes, newBytes, created, notices };
  }

  private async writePending(app: AppRecord, files: PreparedFile[], manifest: Manifest, opts: DeployOptions) {
    const db = this.kernel.db;
    const totalBytes = files.reduce((n, f) => n + f.data.length, 0);
    const version = db.transaction(() => {
      const row = db.prepare('SELECT COALESCE(MAX(version), 0) + 1 AS v FROM app_versions WHERE app_id = ?').get(app.id) as { v: number };
      db.prepare(
        `INSERT INTO app_versions (app_id, version, status, file_count, total_bytes, manifest, created_at, created_by, message)
         VALUES (?, ?, 'pending', ?, ?, ?, ?, ?, ?)`,
      ).run(app.id, row.v, files.length, totalBytes, JSON.stringify(manifest), nowIso(), opts.createdBy ?? null, opts.message ?? null);
      return row.v;
    })();
    const putBlob = db.prepare('INSERT OR IGNORE INTO blobs (sha256, size, data, created_at) VALUES (?, ?, ?, ?)');
    const putFile = db.prepare('INSERT INTO version_files (app_id, version, path, sha256, size, mime) VALUES (?, ?, ?, ?, ?, ?)');
    let newBytes = 0;
    const now = nowIso();
    // Chunks keep the server responsive during big deploys; a crash between them
    // leaves only a pending version, which start-up removes.
    for (let i = 0; i < files.length; i += CHUNK) {
      const chunk = files.slice(i, i + CHUNK);
      db.transaction(() => {
        for (const f of chunk) {
          if (putBlob.run(f.sha256, f.data.length, f.data, now).changes) newBytes += f.data.length;
          putFile.run(app.id, version, f.path, f.sha256, f.data.length, f.mime);
        }
      })();
      opts.progress?.(Math.min(i + CHUNK, files.length), files.length, 'storing files');
      if (i + CHUNK < files.length) await yieldLoop();
      if (opts.signal?.aborted) {
        this.discard(app.id, version);
        throwIfCanceled(opts.signal, DEPLOY_CANCELED);
      }
    }
    return { version, newBytes, totalBytes };
  }

  /** The one switch that makes a version live: a pointer update in one transaction. */
  private activate(appId: string, version: number, expectStatus: 'pending' | 'ready'): void {
    const db = this.kernel.db;
    db.transaction(() => {
      const v = db.prepare('SELECT status FROM app_versions WHERE app_id = ? AND version = ?').get(appId, version) as { status: string } | undefined;
      if (!v || v.status !== expectStatus) throw new OpError('CONFLICT', `Version ${version} is not ${expectStatus} any more.`);
      if (expectStatus === 'pending') db.prepare("UPDATE app_versions SET status = 'ready' WHERE app_id = ? AND version = ?").run(appId, version);
      const r = db.prepare('UPDATE apps SET active_version = ?, updated_at = ? WHERE id = ?').run(version, nowIso(), appId);
      if (!r.changes) throw new OpError('NOT_FOUND', 'The app was deleted during the deploy.');
    })();
  }

  private fail(appId: string, version: number, error: string): void {
    const db = this.kernel.db;
    db.transaction(() => {
      db.prepare('DELETE FROM version_files WHERE app_id = ? AND version = ?').run(appId, version);
      db.prepare("UPDATE app_versions SET status = 'failed', error = ?, file_count = 0 WHERE app_id = ? AND version = ?").run(error.slice(0, 2000), appId, version);
    })();
    this.collectGarbage();
  }

  /** A canceled deploy leaves no trace: its version row and files go, and content only it brought. */
  private discard(appId: string, version: number): void {
    const db = this.kernel.db;
    db.transaction(() => {
      db.prepare('DELETE FROM version_files WHERE app_id = ? AND version = ?').run(appId, version);
      db.prepare("DELETE FROM app_versions WHERE app_id = ? AND version = ? AND status = 'pending'").run(appId, version);
    })();
    this.collectGarbage();
  }

  private dropEmptyApp(appId: string): void {
    const db = this.kernel.db;
    const app = db.prepare('SELECT active_version FROM apps WHERE id = ?').get(appId) as { active_version: number | null } | undefined;
    if (app && app.active_version === null) db.prepare('DELETE FROM apps WHERE id = ?').run(appId);
  }

  /** Content no version refers to any more. */
  collectGarbage(): number {
    return this.kernel.db.prepare('DELETE FROM blobs WHERE NOT EXISTS (SELECT 1 FROM version_files vf WHERE vf.sha256 = blobs.sha256)').run().changes;
  }

  /** At start: a deploy that never finished (crash, kill -9) is marked failed and its files dropped. */
  cleanupInterrupted(): number {
    const db = this.kernel.db;
    const n = db.transaction(() => {
      db.prepare(
        "DELETE FROM version_files WHERE EXISTS (SELECT 1 FROM app_versions v WHERE v.app_id = version_files.app_id AND v.version = version_files.version AND v.status = 'pending')",
      ).run();
      return db.prepare("UPDATE app_versions SET status = 'failed', error = 'interrupted before it went live', file_count = 0 WHERE status = 'pending'").run().changes;
    })();
    if (n) this.collectGarbage();
    return n;
  }

  /** Switches back to `version`, or to the newest ready version older than the active one. */
  rollback(appRef: string, version?: number): { app: AppRecord; version: number; previousVersion: number | null } {
    const app = this.kernel.services.apps.get(appRef);
    const from = app.activeVersion;
    let target = version;
    if (target === undefined) {
      const r = this.kernel.db
        .prepare("SELECT MAX(version) AS v FROM app_versions WHERE app_id = ? AND status = 'ready' AND version < ?")
        .get(app.id, from ?? 0) as { v: number | null };
      if (r.v === null) throw new OpError('NOT_FOUND', `'${app.slug}' has no earlier version to roll back to.`, { app: app.slug, activeVersion: from });
      target = r.v;
    } else {
      const r = this.kernel.db.prepare('SELECT status FROM app_versions WHERE app_id = ? AND version = ?').get(app.id, target) as
        | { status: string }
        | undefined;
      if (!r) throw new OpError('NOT_FOUND', `'${app.slug}' has no version ${target}.`, { app: app.slug, version: target });
      if (r.status !== 'ready') throw new OpError('CONFLICT', `Version ${target} of '${app.slug}' is ${r.status} and cannot be made live.`);
    }
    this.activate(app.id, target, 'ready');
    this.kernel.events.emit({
      type: 'system.app.rolledback',
      source: 'system',
      data: { id: app.id, slug: app.slug, version: target, previousVersion: from },
    });
    return { app: this.kernel.services.apps.get(app.id), version: target, previousVersion: from };
  }

  versions(appRef: string): { app: AppRecord; versions: VersionInfo[] } {
    const app = this.kernel.services.apps.get(appRef);
    const rows = this.kernel.db
      .prepare('SELECT * FROM app_versions WHERE app_id = ? ORDER BY version DESC')
      .all(app.id) as {
      version: number; status: VersionInfo['status']; file_count: number; total_bytes: number; message: string | null; error: string | null;
      created_at: string; created_by: string | null;
    }[];
    return {
      app,
      versions: rows.map((r) => ({
        version: r.version, status: r.status, active: r.version === app.activeVersion, fileCount: r.file_count, totalBytes: r.total_bytes,
        message: r.message, error: r.error, createdAt: r.created_at, createdBy: r.created_by,
      })),
    };
  }
}

declare module '../kernel/services.js' {
  interface Services {
    deploys: DeployService;
  }
}
