import type { Server } from 'node:http';
import { createPresence } from '../auth/presence.js';
import { OWNER_CAPS } from '../auth/tokens.js';
import type { Config } from '../kernel/config.js';
import { Kernel } from '../kernel/kernel.js';
import { allModules } from '../kernel/modules.js';
import { closeHttpServer, createHttpServer } from '../surfaces/http/server.js';
import { readClientConfig, writeClientConfig } from './client-config.js';

export interface RunningServer {
  kernel: Kernel;
  http: Server;
  url: string;
  /** Set only on the very first start: the owner key, shown once. */
  ownerKey?: string;
  stop(): Promise<void>;
}

/** Opens the data dir, migrates, starts every module and listens. */
export async function bootServer(config: Partial<Config>): Promise<RunningServer> {
  const kernel = new Kernel(allModules(), config);
  let ownerKey: string | undefined;
  if (!kernel.tokens.hasOwner()) ownerKey = kernel.tokens.create('owner', 'owner', OWNER_CAPS, null).token;

  const http = createHttpServer(kernel);
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(kernel.config.port, kernel.config.host, () => (http.off('error', reject), resolve()));
  });
  // Only a server that started listening on the data dir issues its presence secret (the local CLI's proof).
  kernel.services.presence = createPresence(kernel.config.dataDir);
  const addr = http.address();
  const port = typeof addr === 'object' && addr ? addr.port : kernel.config.port;
  // Port 0 asks the OS for a free port: keep the real one so URLs are right.
  kernel.config.port = port;
  const hostForUrl = kernel.config.host === '0.0.0.0' || kernel.config.host === '::' ? '127.0.0.1' : kernel.config.host;
  const url = `http://${hostForUrl.includes(':') ? `[${hostForUrl}]` : hostForUrl}:${port}`;
  const existing = readClientConfig(kernel.config.dataDir);
  if (ownerKey) writeClientConfig(kernel.config.dataDir, { url, token: ownerKey });
  else if (existing && existing.url !== url) writeClientConfig(kernel.config.dataDir, { ...existing, url });

  await kernel.start();

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      await closeHttpServer(http);
      await kernel.stop();
    })());
  return { kernel, http, url, ownerKey, stop };
}
