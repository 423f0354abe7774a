import type { Server } from 'node:http';
import { createOwnerIfMissing } from '../auth/owner-key.js';
import { migratePlainTotpSeed } from '../auth/totp.js';
import { makeConfig, type Config } from '../kernel/config.js';
import { createPresence } from '../auth/presence.js';
import { Kernel } from '../kernel/kernel.js';
import { allModules } from '../kernel/modules.js';
import { closeHttpServer, createHttpServer } from '../surfaces/http/server.js';
import { listenError } from './boot-error.js';
import { readClientFile, writeClientConfig } from './client-config.js';
import { checkDataDirPermissions } from './data-dir.js';
import { serverUrl } from './server-url.js';

export interface RunningServer {
  kernel: Kernel;
  http: Server;
  url: string;
  /** Set only on the first start that listened: the owner key, shown once. */
  ownerKey?: string;
  /** True when an owner key exists but client.json holds no working copy of it (recover with `fazt auth owner-key reset`). */
  ownerKeyLost?: boolean;
  stop(): Promise<void>;
}

export interface BootOptions {
  /** Start even when other users can read or write the data dir. */
  insecurePermissions?: boolean;
}

/** Opens the data dir, migrates, listens, creates the owner key if there is none, and starts every module. */
export async function bootServer(config: Partial<Config>, opts: BootOptions = {}): Promise<RunningServer> {
  const cfg = makeConfig(config);
  checkDataDirPermissions(cfg.dataDir, opts.insecurePermissions);
  const kernel = new Kernel(allModules(), cfg);
  let http: Server;
  try {
    migratePlainTotpSeed(kernel);
    http = createHttpServer(kernel);
    await listen(http, kernel.config.port, kernel.config.host);
  } catch (err) {
    await kernel.stop().catch(() => undefined);
    throw listenError(err, kernel.config.host, kernel.config.port);
  }
  // Only a server that started listening on the data dir issues its presence secret (the local CLI's proof).
  kernel.services.presence = createPresence(kernel.config.dataDir);
  const addr = http.address();
  const port = typeof addr === 'object' && addr ? addr.port : kernel.config.port;
  // Port 0 asks the OS for a free port: keep the real one so URLs are right.
  kernel.config.port = port;
  const url = serverUrl(kernel.config.host, port);

  // Only now that the server listens: a start that failed earlier must not leave a key nobody saw.
  const ownerKey = createOwnerIfMissing(kernel.db, kernel.tokens);
  const existing = readClientFile(kernel.config.dataDir);
  if (ownerKey) writeClientConfig(kernel.config.dataDir, { url, token: ownerKey });
  else if (existing.url !== url) writeClientConfig(kernel.config.dataDir, existing.token ? { url, token: existing.token } : { url });
  const saved = existing.token ? kernel.tokens.verify(existing.token) : undefined;
  const ownerKeyLost = !ownerKey && !(saved?.ok && saved.info.kind === 'owner');

  try {
    await kernel.start();
  } catch (err) {
    // A module that cannot start (a DNS or HTTPS port in use) must not leave the HTTP port held.
    await closeHttpServer(http, 0).catch(() => undefined);
    await kernel.stop().catch(() => undefined);
    throw err;
  }

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      await closeHttpServer(http);
      await kernel.stop();
    })());
  return { kernel, http, url, ownerKey, ownerKeyLost, stop };
}

function listen(http: Server, port: number, host: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(port, host, () => (http.off('error', reject), resolve()));
  });
}
