/** What a backup says about itself: written beside (and inside) every archive. */
export interface BackupManifest {
  format: 'fazt-backup/1';
  id: string;
  faztVersion: string;
  createdAt: string;
  /** Newest applied migration per module in the snapshot. */
  schema: Record<string, number>;
  /** sha256 (hex) of the archive's payload: the compressed (and maybe encrypted) database. */
  sha256: string;
  /** Payload bytes (what sha256 covers). */
  bytes: number;
  /** Size of the uncompressed database. */
  dbBytes: number;
  compression: 'gzip';
  encrypted: boolean;
  /** Sealed secrets in the snapshot: readable only with this server's master key, which is never in a backup. */
  secretsNeedingMasterKey: string[];
  note?: string;
  counts: { apps: number; versions: number };
}

export interface BackupEntry {
  id: string;
  createdAt: string;
  bytes: number;
  sha256: string;
  encrypted: boolean;
  faztVersion: string;
  note?: string;
  /** Where it lives: a file path or an object URL. */
  location: string;
}

export interface KeepPolicy {
  last: number;
  daily: number;
  weekly: number;
  monthly: number;
}
