import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { resetOwnerKey } from '../auth/owner-key.js';
import { makeConfig } from '../kernel/config.js';
import { openDatabase } from '../store/db.js';
import { clientConfigPath, readClientFile, writeClientConfig } from './client-config.js';
import { serverUrl } from './server-url.js';

export class NoDataError extends Error {}

/**
 * Replaces the owner key of a data dir, working on its files directly (access to
 * them is the proof of ownership), and saves the new key in client.json.
 */
export function resetOwnerKeyInDataDir(
  dataDir: string,
  opts: { disableTotp?: boolean } = {},
): ReturnType<typeof resetOwnerKey> & { clientConfig: string } {
  if (!existsSync(join(dataDir, 'data.db'))) {
    throw new NoDataError(`No fazt data in ${dataDir} (no data.db). Start a server there first: fazt server start --data ${dataDir}`);
  }
  const db = openDatabase(dataDir);
  let r: ReturnType<typeof resetOwnerKey>;
  try {
    r = resetOwnerKey(db, 'cli', opts);
  } finally {
    db.close();
  }
  // Keep the URL a running server wrote; without one, where a default start listens (the next start corrects it).
  const cfg = makeConfig({ dataDir });
  const url = readClientFile(dataDir).url ?? serverUrl(cfg.host, cfg.port);
  writeClientConfig(dataDir, { url, token: r.token });
  return { ...r, clientConfig: clientConfigPath(dataDir) };
}
