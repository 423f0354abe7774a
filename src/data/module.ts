import type { KernelModule } from '../kernel/module.js';
import './api.js';
import { BlobStore } from './blob-store.js';
import { DocStore } from './ds/doc-store.js';
import { KvStore } from './kv-store.js';
import { limitsFromConfig, type StorageLimits } from './limits.js';
import { declaredIndexes } from './manifest-indexes.js';
import { dataMigrations } from './migrations.js';
import { storageOps } from './ops/index.js';
import { storageUsage, type StorageUsage } from './usage.js';

/** The concrete stores, for ops that need more than the app-facing contracts. */
export interface StorageService {
  kv: KvStore;
  ds: DocStore;
  blobs: BlobStore;
  limits: StorageLimits;
  /** Removes every kv entry, document and blob of an app. */
  deleteApp(appId: string): { kv: number; docs: number; blobs: number };
  /** Rows and bytes each app keeps in storage (all users included), for owners and pulse. */
  usage(appId?: string): StorageUsage[];
}

declare module '../kernel/services.js' {
  interface Services {
    storage: StorageService;
  }
}

/** Timers and listeners per kernel: tests run several kernels in one process. */
const running = new WeakMap<object, { timer?: NodeJS.Timeout; off?: () => void }>();

/** App data: kv, documents and blobs, each scoped to (app, user). */
export const dataModule: KernelModule = {
  name: 'data',
  migrations: dataMigrations,
  ops: storageOps,
  init(kernel) {
    const limits = limitsFromConfig(kernel.config.extra);
    const db = kernel.db;
    const kv = new KvStore(db, limits);
    const ds = new DocStore(db, limits);
    const blobs = new BlobStore(db, limits);
    const storage: StorageService = {
      kv,
      ds,
      blobs,
      limits,
      deleteApp: (appId) => db.transaction(() => ({ kv: kv.deleteApp(appId), docs: ds.deleteApp(appId), blobs: blobs.deleteApp(appId) }))(),
      usage: (appId) => storageUsage(db, appId),
    };
    kernel.services.storage = storage;
    kernel.services.kv = kv;
    kernel.services.ds = ds;
    kernel.services.blobs = blobs;
    const off = kernel.events.on('system.app.deleted', (e) => {
      const id = (e.data as { id?: unknown } | null)?.id;
      if (typeof id === 'string' && id) storage.deleteApp(id);
    });
    running.set(kernel, { off });
    // Indexes an app declares in its manifest exist before its new version serves.
    kernel.services.deployHooks?.beforeActivate('data.indexes', (deploy) => {
      for (const [collection, field] of declaredIndexes(deploy.manifest)) ds.ensureIndex(deploy.app.id, collection, field);
    });
  },
  start(kernel) {
    const { kv, limits } = kernel.services.storage;
    kv.sweep();
    const timer = setInterval(() => {
      try {
        kv.sweep();
      } catch (err) {
        process.emitWarning(`kv sweep failed: ${(err as Error).message}`);
      }
    }, limits.sweepIntervalMs);
    timer.unref();
    running.set(kernel, { ...running.get(kernel), timer });
  },
  stop(kernel) {
    const r = running.get(kernel);
    if (r?.timer) clearInterval(r.timer);
    r?.off?.();
    running.delete(kernel);
  },
};
