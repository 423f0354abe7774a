import { homedir } from 'node:os';
import { join } from 'node:path';

/** Start-up configuration: flags win over environment, environment over defaults. */
export interface Config {
  dataDir: string;
  host: string;
  port: number;
  domain: string;
  /** Largest deploy body the HTTP API accepts; other ops have their own, smaller limit (OpDef.maxInputBytes). */
  maxUploadBytes: number;
  /** Calls per minute per capability token; 0 turns the limit off. */
  rateLimitPerMinute: number;
  /** How long a halt waits for a human before its default (deny) applies. */
  haltTimeoutMs: number;
  /** Bytes of hot static files kept in memory. */
  staticCacheBytes: number;
  /** Deploy examples/hello on first start. */
  seedExample: boolean;
  /** Peers (CIDRs) allowed to name the signed-in user with x-fazt-user; empty: nobody. */
  trustedProxies: string[];
  /** Extra values modules read (pulse interval, log retention, ...). */
  extra: Record<string, string>;
}

export function defaultDataDir(): string {
  return process.env.FAZT_DATA || join(homedir(), '.fazt');
}

export function makeConfig(overrides: Partial<Config> = {}): Config {
  const env = process.env;
  return {
    dataDir: overrides.dataDir ?? defaultDataDir(),
    host: overrides.host ?? env.FAZT_HOST ?? '127.0.0.1',
    port: overrides.port ?? (env.FAZT_PORT ? Number(env.FAZT_PORT) : 8080),
    domain: overrides.domain ?? env.FAZT_DOMAIN ?? 'localhost',
    maxUploadBytes: overrides.maxUploadBytes ?? (env.FAZT_MAX_UPLOAD ? Number(env.FAZT_MAX_UPLOAD) : 100 * 1024 * 1024),
    rateLimitPerMinute: overrides.rateLimitPerMinute ?? (env.FAZT_RATE_LIMIT ? Number(env.FAZT_RATE_LIMIT) : 600),
    haltTimeoutMs: overrides.haltTimeoutMs ?? 24 * 3600_000,
    staticCacheBytes: overrides.staticCacheBytes ?? 64 * 1024 * 1024,
    seedExample: overrides.seedExample ?? true,
    trustedProxies: overrides.trustedProxies ?? (env.FAZT_TRUSTED_PROXY ? env.FAZT_TRUSTED_PROXY.split(',').map((c) => c.trim()).filter(Boolean) : []),
    extra: overrides.extra ?? {},
  };
}
