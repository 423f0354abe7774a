import { Worker } from 'node:worker_threads';
import type { SnapshotJob, SnapshotMessage } from './snapshot-worker.js';
import type { BackupManifest } from './types.js';

/**
 * Runs the snapshot and its compression (and encryption) on a worker thread: the
 * page copy, gzip and sha256 of a large database then cost the server's event
 * loop nothing.
 */
export function snapshotInWorker(job: SnapshotJob, progress?: (done: number, total: number, message?: string) => void): Promise<BackupManifest> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./snapshot-worker.js', import.meta.url), { workerData: job });
    let settled = false;
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      fn();
      void worker.terminate();
    };
    worker.on('message', (m: SnapshotMessage) => {
      if (m.kind === 'progress') progress?.(m.done, m.total, m.message);
      else if (m.kind === 'done') finish(() => resolve(m.manifest));
      else finish(() => reject(new Error(m.message)));
    });
    worker.on('error', (err) => finish(() => reject(err)));
    worker.on('exit', (code) => finish(() => reject(new Error(`the backup worker stopped (exit ${code})`))));
  });
}
