import { existsSync, statSync } from 'node:fs';
import { BootError } from './boot-error.js';

/**
 * Refuses a data dir that other users can read or write: it holds data.db and
 * (unless FAZT_MASTER_KEY is set) master.key, the key to every sealed secret.
 * A dir that does not exist yet is created 0700 when the database opens.
 */
export function checkDataDirPermissions(dir: string, insecurePermissions = false): void {
  if (insecurePermissions || !existsSync(dir)) return;
  const mode = statSync(dir).mode & 0o777;
  if ((mode & 0o077) === 0) return;
  throw new BootError(
    'INSECURE_DATA_DIR',
    `The data dir ${dir} is open to other users (mode 0${mode.toString(8).padStart(3, '0')}): it holds data.db and the master key of its secrets. ` +
      `Run 'chmod 700 ${dir}', or start with --insecure-permissions to accept this.`,
  );
}
