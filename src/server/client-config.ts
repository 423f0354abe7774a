import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** What the local CLI needs to reach this server with no flags: written 0600 in the data dir. */
export interface ClientConfig {
  url: string;
  token: string;
}

export function clientConfigPath(dataDir: string): string {
  return join(dataDir, 'client.json');
}

export function writeClientConfig(dataDir: string, cfg: ClientConfig): void {
  const p = clientConfigPath(dataDir);
  writeFileSync(p, JSON.stringify(cfg, null, 2) + '\n', { mode: 0o600 });
  chmodSync(p, 0o600);
}

export function readClientConfig(dataDir: string): ClientConfig | undefined {
  const p = clientConfigPath(dataDir);
  if (!existsSync(p)) return undefined;
  try {
    const c = JSON.parse(readFileSync(p, 'utf8')) as Partial<ClientConfig>;
    return c.url && c.token ? { url: c.url, token: c.token } : undefined;
  } catch {
    return undefined;
  }
}
