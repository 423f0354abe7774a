import Database from 'better-sqlite3';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Kernel } from '../kernel/kernel.js';
import { OpError, throwIfCanceled } from '../kernel/ops/errors.js';
import { FAZT_VERSION } from '../kernel/server-ops.js';
import { ArchiveError, readManifest } from './archive.js';
import { CONFIG_KEY, openTarget, readConfig, SECRET_PASSPHRASE, STATE_KEY, type BackupConfig, type BackupState } from './config.js';
import { parseEvery } from './duration.js';
import { ARCHIVE_EXT, BACKUP_ID_RE, MANIFEST_EXT, newBackupId } from './ids.js';
import { prepareRestore, RestoreError, type PreparedRestore } from './restore.js';
import { selectForPruning } from './retention.js';
import { takeSnapshot } from './snapshot.js';
import { snapshotInWorker } from './snapshot-thread.js';
import { TargetError, type BackupTarget } from './targets/target.js';
import type { BackupEntry, BackupManifest } from './types.js';

type Progress = (done: number, total: number, message?: string) => void;

/** Maps target, archive and restore failures to op errors that say what to do. */
export function asOpError(err: unknown): unknown {
  if (err instanceof TargetError) return new OpError(err.code === 'TARGET_NOT_FOUND' ? 'NOT_FOUND' : err.code === 'TARGET_AUTH' ? 'BACKUP_TARGET_AUTH' : 'UNAVAILABLE', err.message);
  if (err instanceof ArchiveError || err instanceof RestoreError) return new OpError(err.code === 'PASSPHRASE_REQUIRED' || err.code === 'WRONG_PASSPHRASE' ? 'BAD_INPUT' : 'BACKUP_INVALID', err.message, { reason: err.code });
  return err;
}

function entryOf(m: BackupManifest, location: string): BackupEntry {
  return { id: m.id, createdAt: m.createdAt, bytes: m.bytes, sha256: m.sha256, encrypted: m.encrypted, faztVersion: m.faztVersion, location, ...(m.note ? { note: m.note } : {}) };
}

/** Snapshots, the target they go to, retention, verification and the schedule. */
export class BackupService {
  private running: Promise<unknown> | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly kernel: Kernel) {}

  config(): BackupConfig {
    return readConfig(this.kernel);
  }

  state(): BackupState {
    return this.kernel.settings.get<BackupState>(STATE_KEY, {});
  }

  private patchState(p: Partial<BackupState>): void {
    this.kernel.settings.set(STATE_KEY, { ...this.state(), ...p });
  }

  saveConfig(c: BackupConfig): void {
    this.kernel.settings.set(CONFIG_KEY, c);
  }

  target(): BackupTarget {
    return openTarget(this.kernel);
  }

  /** Scratch space on the data dir's disk, owner-only. */
  private workDir(): string {
    const dir = join(this.kernel.config.dataDir, 'backups', '.work');
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    return dir;
  }

  /** One backup at a time: a second caller gets CONFLICT rather than a second snapshot. */
  private exclusive<T>(what: string, fn: () => Promise<T>): Promise<T> {
    if (this.running) throw new OpError('CONFLICT', `A backup ${what} is already running; try again when it finishes.`);
    const p = fn().finally(() => (this.running = undefined));
    this.running = p;
    return p;
  }

  create(opts: { note?: string; passphrase?: string } = {}, progress?: Progress, signal?: AbortSignal): Promise<BackupEntry & { ms: number; dbBytes: number }> {
    return this.exclusive('create', () => this.runCreate(opts, progress, signal));
  }

  private async runCreate(opts: { note?: string; passphrase?: string }, progress?: Progress, signal?: AbortSignal): Promise<BackupEntry & { ms: number; dbBytes: number }> {
    const started = Date.now();
    const id = newBackupId();
    const work = this.workDir();
    // Only one backup runs at a time: anything here is what a killed run left behind.
    for (const f of readdirSync(work)) rmSync(join(work, f), { recursive: true, force: true });
    const dbFile = join(work, `${id}.db`);
    const archive = join(work, id + ARCHIVE_EXT);
    try {
      const cfg = this.config();
      const target = this.target();
      await this.abortLeftovers(target);
      const passphrase = opts.passphrase ?? (cfg.encrypt ? this.kernel.services.secrets.get(SECRET_PASSPHRASE) : undefined);
      if (cfg.encrypt && !passphrase) throw new OpError('BAD_INPUT', 'Backups are set to be encrypted but no passphrase is stored: set one with backup.configure passphrase=...');
      const createdAt = new Date().toISOString();
      throwIfCanceled(signal, 'The backup was canceled before it started.');
      const manifest = await snapshotInWorker(
        { source: join(this.kernel.config.dataDir, 'data.db'), snapshot: dbFile, out: archive, manifest: { id, faztVersion: FAZT_VERSION, createdAt, ...(opts.note ? { note: opts.note } : {}) }, passphrase },
        progress,
      );
      const dbBytes = manifest.dbBytes;
      rmSync(dbFile, { force: true });
      // Canceled after the snapshot: nothing was uploaded, so nothing is kept.
      throwIfCanceled(signal, 'The backup was canceled before its upload; nothing was kept.');
      await target.putFile(id + ARCHIVE_EXT, archive, {
        progress: (d, t) => progress?.(d, t, 'upload (bytes)'),
        onUploadStarted: (u) => this.patchState({ pendingUploads: [...(this.state().pendingUploads ?? []), u] }),
      });
      this.patchState({ pendingUploads: (this.state().pendingUploads ?? []).filter((u) => u.name !== id + ARCHIVE_EXT) });
      // The manifest goes last: only a complete archive is ever listed as a backup.
      await target.putBytes(id + MANIFEST_EXT, Buffer.from(JSON.stringify(manifest, null, 2)));
      this.patchState({ lastGoodAt: createdAt, lastGoodId: id });
      const entry = entryOf(manifest, target.locationOf(id + ARCHIVE_EXT));
      const ms = Date.now() - started;
      this.kernel.events.emit({ type: 'system.backup.completed', source: 'system', data: { id, bytes: manifest.bytes, sha256: manifest.sha256, ms, target: target.kind } });
      await this.prune(target, cfg).catch((err) => process.emitWarning(`backup pruning failed: ${(err as Error).message}`));
      return { ...entry, ms, dbBytes };
    } catch (err) {
      const message = (err as Error).message;
      this.patchState({ lastFailureAt: new Date().toISOString(), lastError: message });
      this.kernel.events.emit({ type: 'system.backup.failed', source: 'system', data: { id, error: message } });
      throw asOpError(err);
    } finally {
      rmSync(dbFile, { force: true });
      rmSync(archive, { force: true });
    }
  }

  /** Uploads a crash left half done are dropped, so the target holds only whole backups. */
  private async abortLeftovers(target: BackupTarget): Promise<void> {
    const pending = this.state().pendingUploads ?? [];
    if (!pending.length) return;
    for (const u of pending) await target.abortUpload(u).catch(() => {});
    this.patchState({ pendingUploads: [] });
  }

  /** Backups in the target, newest first: those whose manifest exists beside a whole archive. */
  async list(target: BackupTarget = this.target()): Promise<BackupEntry[]> {
    try {
      const objects = await target.list();
      const archives = new Map(objects.filter((o) => o.name.endsWith(ARCHIVE_EXT)).map((o) => [o.name.slice(0, -ARCHIVE_EXT.length), o.size]));
      const out: BackupEntry[] = [];
      for (const o of objects) {
        if (!o.name.endsWith(MANIFEST_EXT)) continue;
        const id = o.name.slice(0, -MANIFEST_EXT.length);
        if (!BACKUP_ID_RE.test(id) || !archives.has(id)) continue;
        const body = await target.getBytes(o.name);
        if (!body) continue;
        try {
          const m = JSON.parse(body.toString('utf8')) as BackupManifest;
          // An archive whose size disagrees with its manifest is not a backup.
          if (m.id !== id) continue;
          out.push(entryOf(m, target.locationOf(id + ARCHIVE_EXT)));
        } catch {
          continue;
        }
      }
      return out.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
    } catch (err) {
      throw asOpError(err);
    }
  }

  async get(id: string, target: BackupTarget = this.target()): Promise<BackupEntry> {
    const found = (await this.list(target)).find((b) => b.id === id);
    if (!found) throw new OpError('NOT_FOUND', `No backup '${id}' in ${target.where}. List them with backup.list.`);
    return found;
  }

  async delete(id: string): Promise<BackupEntry> {
    const target = this.target();
    const entry = await this.get(id, target);
    try {
      await target.delete(id + MANIFEST_EXT);
      await target.delete(id + ARCHIVE_EXT);
    } catch (err) {
      throw asOpError(err);
    }
    return entry;
  }

  private async prune(target: BackupTarget, cfg: BackupConfig): Promise<string[]> {
    const doomed = selectForPruning(await this.list(target), cfg.keep);
    for (const id of doomed) {
      await target.delete(id + MANIFEST_EXT);
      await target.delete(id + ARCHIVE_EXT);
    }
    return doomed;
  }

  /** A local path to the archive: the file itself for a local target, else a download into `dir`. */
  async fetchArchive(id: string, dir: string, progress?: Progress): Promise<string> {
    const target = this.target();
    await this.get(id, target);
    if (target.kind === 'local') return target.locationOf(id + ARCHIVE_EXT);
    const dest = join(dir, id + ARCHIVE_EXT);
    try {
      await target.getFile(id + ARCHIVE_EXT, dest, (d, t) => progress?.(d, t, 'download (bytes)'));
    } catch (err) {
      throw asOpError(err);
    }
    return dest;
  }

  /** Restores a backup into a temp dir, opens it, checks integrity and counts what it holds. */
  verify(id: string | undefined, passphrase?: string, progress?: Progress, signal?: AbortSignal): Promise<{ id: string; ok: true; upgraded: boolean; counts: PreparedRestore['counts']; ms: number }> {
    return this.exclusive('verify', async () => {
      const started = Date.now();
      const chosen = id ?? (await this.list())[0]?.id;
      if (!chosen) throw new OpError('NOT_FOUND', 'There is no backup to verify yet: make one with backup.create.');
      const tmp = mkdtempSync(join(tmpdir(), 'fazt-verify-'));
      try {
        const archive = await this.fetchArchive(chosen, tmp, progress);
        throwIfCanceled(signal, 'The verification was canceled.');
        const pass = passphrase ?? (readManifest(archive).encrypted ? this.kernel.services.secrets.get(SECRET_PASSPHRASE) : undefined);
        const r = await prepareRestore(archive, join(tmp, 'data.db'), this.modules(), { passphrase: pass, progress });
        this.patchState({ lastVerifyAt: new Date().toISOString(), lastVerifyId: chosen, lastVerifyOk: true });
        return { id: chosen, ok: true as const, upgraded: r.upgraded, counts: r.counts, ms: Date.now() - started };
      } catch (err) {
        this.patchState({ lastVerifyAt: new Date().toISOString(), lastVerifyId: chosen, lastVerifyOk: false });
        this.kernel.events.emit({ type: 'system.backup.failed', source: 'system', data: { id: chosen, error: `verify: ${(err as Error).message}` } });
        throw asOpError(err);
      } finally {
        rmSync(tmp, { recursive: true, force: true });
      }
    });
  }

  modules(): { name: string; migrations: NonNullable<Kernel['modules'][number]['migrations']> }[] {
    return this.kernel.modules.map((m) => ({ name: m.name, migrations: m.migrations ?? [] }));
  }

  /**
   * Replaces the live database with a verified backup, keeping the current one as a
   * backup file first. The copy goes in one step of SQLite's backup API, so no
   * request sees half of it.
   */
  restoreLive(archive: string, passphrase?: string, progress?: Progress): Promise<{ id: string; replaced: string; upgraded: boolean; counts: PreparedRestore['counts'] }> {
    return this.exclusive('restore', async () => {
      const work = this.workDir();
      const prepared = await prepareRestore(archive, join(work, 'restoring.db'), this.modules(), { passphrase, progress }).catch((err) => {
        throw asOpError(err);
      });
      const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
      const replaced = join(this.kernel.config.dataDir, `data.db.replaced-${stamp}`);
      await takeSnapshot(join(this.kernel.config.dataDir, 'data.db'), replaced);
      const appIds = () => (this.kernel.db.prepare('SELECT id FROM apps').all() as { id: string }[]).map((r) => r.id);
      const before = appIds();
      const src = new Database(prepared.file, { readonly: true });
      try {
        await src.backup(join(this.kernel.config.dataDir, 'data.db'), { progress: () => Number.MAX_SAFE_INTEGER });
      } finally {
        src.close();
        rmSync(prepared.file, { force: true });
      }
      this.forgetCaches([...new Set([...before, ...appIds()])]);
      this.kernel.events.emit({ type: 'system.backup.restored', source: 'system', data: { id: prepared.manifest.id, replaced } });
      return { id: prepared.manifest.id, replaced, upgraded: prepared.upgraded, counts: prepared.counts };
    });
  }

  /** Everything held in memory about apps came from the old data: served files and loaded sandboxes. */
  private forgetCaches(appIds: string[]): void {
    this.kernel.services.staticFiles?.invalidate(undefined, true);
    const runtime = this.kernel.services.runtime;
    for (const id of appIds) {
      runtime?.drop(id);
      runtime?.subscribe(id);
    }
  }

  /** Runs what the schedule says is due: a backup, then (weekly by default) a verify. */
  async tick(now = Date.now()): Promise<'backup' | 'verify' | 'idle'> {
    if (this.running) return 'idle';
    const cfg = this.config();
    const st = this.state();
    if (cfg.every) {
      const last = Math.max(Date.parse(st.lastGoodAt ?? '') || 0, Date.parse(st.lastFailureAt ?? '') || 0);
      if (now - last >= parseEvery(cfg.every)) {
        await this.create({ note: 'scheduled' }).catch(() => {});
        return 'backup';
      }
    }
    if (cfg.verifyEvery && st.lastGoodAt) {
      const last = Date.parse(st.lastVerifyAt ?? '') || Date.parse(st.lastGoodAt) || 0;
      if (now - last >= parseEvery(cfg.verifyEvery, 'verifyEvery')) {
        await this.verify(undefined).catch(() => {});
        return 'verify';
      }
    }
    return 'idle';
  }

  startSchedule(intervalMs = 60_000): void {
    this.timer = setInterval(() => void this.tick().catch(() => {}), intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running?.catch(() => {});
  }

  /** Is a local directory a fazt data dir with a database in it? */
  static hasData(dir: string): boolean {
    return existsSync(join(dir, 'data.db'));
  }
}
