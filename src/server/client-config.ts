import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** What the local CLI needs to reach this server with no flags: written 0600 in the data dir. */
export interface ClientConfig {
  url: string;
  token: string;
}

export function clientConfigPath(dataDir: string): string {
  return join(dataDir, 'client.json');
}

/** Written to a new 0600 file then renamed over the old one, so the key is never in a file others can read, nor half-written. */
export function writeClientConfig(dataDir: string, cfg: ClientConfig | { url: string; token?: undefined }): void {
  const p = clientConfigPath(dataDir);
  const tmp = `${p}.${process.pid}.tmp`;
  rmSync(tmp, { force: true });
  try {
    writeFileSync(tmp, JSON.stringify(cfg, null, 2) + '\n', { mode: 0o600, flag: 'wx' });
    renameSync(tmp, p);
  } finally {
    rmSync(tmp, { force: true });
  }
}

export function readClientConfig(dataDir: string): ClientConfig | undefined {
  const c = readClientFile(dataDir);
  return c.url && c.token ? { url: c.url, token: c.token } : undefined;
}

/**
 * Whatever client.json holds. A server whose owner key was never saved writes
 * the URL alone, so `fazt auth owner-key reset` knows where the server is.
 */
export function readClientFile(dataDir: string): Partial<ClientConfig> {
  const p = clientConfigPath(dataDir);
  if (!existsSync(p)) return {};
  try {
    const c = JSON.parse(readFileSync(p, 'utf8')) as Record<string, unknown>;
    return {
      ...(typeof c.url === 'string' && c.url ? { url: c.url } : {}),
      ...(typeof c.token === 'string' && c.token ? { token: c.token } : {}),
    };
  } catch {
    return {};
  }
}
