/** An object in a target: a backup archive or its manifest. */
export interface TargetObject {
  name: string;
  size: number;
}

/** A multipart upload begun and not yet completed: kept so the next run can abort it. */
export interface PendingUpload {
  name: string;
  uploadId: string;
}

export interface PutOptions {
  progress?: (done: number, total: number) => void;
  /** Called once a resumable upload has an id, before any part is sent. */
  onUploadStarted?: (u: PendingUpload) => void;
}

/**
 * Where backups go. A target stores named files and knows nothing of backups:
 * an archive is listed as a backup only once its manifest object exists, and
 * the manifest is written after the archive is complete.
 */
export interface BackupTarget {
  readonly kind: 'local' | 's3';
  /** Human-readable place (a directory, or endpoint/bucket/prefix): never credentials. */
  readonly where: string;
  locationOf(name: string): string;
  putFile(name: string, file: string, opts?: PutOptions): Promise<void>;
  putBytes(name: string, body: Buffer): Promise<void>;
  getFile(name: string, dest: string, progress?: (done: number, total: number) => void): Promise<void>;
  getBytes(name: string): Promise<Buffer | undefined>;
  list(): Promise<TargetObject[]>;
  delete(name: string): Promise<void>;
  /** Drops a multipart upload a crash left behind (a no-op where uploads are atomic). */
  abortUpload(u: PendingUpload): Promise<void>;
}

export class TargetError extends Error {
  constructor(
    readonly code: 'TARGET_AUTH' | 'TARGET_NOT_FOUND' | 'TARGET_UNREACHABLE' | 'TARGET_ERROR',
    message: string,
  ) {
    super(message);
  }
}
