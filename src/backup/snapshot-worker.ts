import Database from 'better-sqlite3';
import { rmSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { writeArchive } from './archive.js';
import { appCounts, schemaVersions, sealedSecretNames } from './manifest.js';
import { takeSnapshot } from './snapshot.js';
import type { BackupManifest } from './types.js';

/** What the main thread asks of the worker: snapshot `source` and write the archive `out`. */
export interface SnapshotJob {
  source: string;
  snapshot: string;
  out: string;
  manifest: Pick<BackupManifest, 'id' | 'faztVersion' | 'createdAt' | 'note'>;
  passphrase?: string;
}

export type SnapshotMessage =
  | { kind: 'progress'; done: number; total: number; message: string }
  | { kind: 'done'; manifest: BackupManifest }
  | { kind: 'error'; message: string };

async function run(job: SnapshotJob): Promise<BackupManifest> {
  const post = (m: SnapshotMessage) => parentPort!.postMessage(m);
  try {
    const { bytes: dbBytes } = await takeSnapshot(job.source, job.snapshot, (done, total) => post({ kind: 'progress', done, total, message: 'snapshot (pages)' }));
    const snap = new Database(job.snapshot, { readonly: true });
    let facts;
    try {
      facts = { schema: schemaVersions(snap), secretsNeedingMasterKey: sealedSecretNames(snap), counts: appCounts(snap) };
    } finally {
      snap.close();
    }
    return await writeArchive(job.snapshot, job.out, { format: 'fazt-backup/1', ...job.manifest, dbBytes, ...facts }, {
      passphrase: job.passphrase,
      progress: (done, total) => post({ kind: 'progress', done, total, message: 'compress (bytes)' }),
    });
  } finally {
    rmSync(job.snapshot, { force: true });
  }
}

if (parentPort) {
  run(workerData as SnapshotJob).then(
    (manifest) => parentPort!.postMessage({ kind: 'done', manifest } satisfies SnapshotMessage),
    (err: Error) => parentPort!.postMessage({ kind: 'error', message: err.message } satisfies SnapshotMessage),
  );
}
