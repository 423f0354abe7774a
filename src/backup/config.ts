import { join } from 'node:path';
import type { Kernel } from '../kernel/kernel.js';
import { DEFAULT_KEEP } from './retention.js';
import { LocalTarget } from './targets/local.js';
import { S3Target, type S3Settings } from './targets/s3.js';
import { TargetError, type BackupTarget, type PendingUpload } from './targets/target.js';
import type { KeepPolicy } from './types.js';

export type TargetConfig = { type: 'local'; dir?: string } | ({ type: 's3' } & S3Settings);

/** Stored in settings; credentials and the passphrase live in the secrets store. */
export interface BackupConfig {
  /** How often scheduled backups run ("6h"); null when only manual backups are made. */
  every: string | null;
  keep: KeepPolicy;
  target: TargetConfig;
  /** Encrypt with the passphrase kept in the secrets store. */
  encrypt: boolean;
  /** How often the newest backup is restored and checked ("7d"); null for never. */
  verifyEvery: string | null;
}

export interface BackupState {
  lastGoodAt?: string;
  lastGoodId?: string;
  lastFailureAt?: string;
  lastError?: string;
  lastVerifyAt?: string;
  lastVerifyId?: string;
  lastVerifyOk?: boolean;
  /** Multipart uploads begun and not finished (a crash mid-upload): aborted on the next run. */
  pendingUploads?: PendingUpload[];
}

export const CONFIG_KEY = 'backup.config';
export const STATE_KEY = 'backup.state';
export const SECRET_ACCESS_KEY_ID = 'backup.s3.accessKeyId';
export const SECRET_ACCESS_KEY = 'backup.s3.secretAccessKey';
export const SECRET_PASSPHRASE = 'backup.passphrase';

export const DEFAULT_CONFIG: BackupConfig = { every: null, keep: DEFAULT_KEEP, target: { type: 'local' }, encrypt: false, verifyEvery: '7d' };

export function readConfig(kernel: Kernel): BackupConfig {
  const c = kernel.settings.get<Partial<BackupConfig>>(CONFIG_KEY, {});
  return { ...DEFAULT_CONFIG, ...c, keep: { ...DEFAULT_KEEP, ...(c.keep ?? {}) } };
}

export function defaultLocalDir(dataDir: string): string {
  return join(dataDir, 'backups');
}

/** The configured target, with its credentials taken from the secrets store. */
export function openTarget(kernel: Kernel, cfg: TargetConfig = readConfig(kernel).target): BackupTarget {
  if (cfg.type === 'local') return new LocalTarget(cfg.dir ?? defaultLocalDir(kernel.config.dataDir));
  const secrets = kernel.services.secrets;
  const accessKeyId = secrets.get(SECRET_ACCESS_KEY_ID);
  const secretAccessKey = secrets.get(SECRET_ACCESS_KEY);
  if (!accessKeyId || !secretAccessKey) {
    throw new TargetError('TARGET_AUTH', 'The S3 backup target has no credentials: set accessKeyId and secretAccessKey with backup.configure.');
  }
  return new S3Target(cfg, { accessKeyId, secretAccessKey });
}
