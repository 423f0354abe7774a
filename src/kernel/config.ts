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
  /** Where people reach this server from outside (approval links); unset: the server's own URL. */
  publicUrl?: string;
  /** UDP and TCP port of the built-in authoritative DNS server; unset: it does not listen. */
  dnsPort?: number;
  /** Where the DNS server listens (default 127.0.0.1). */
  dnsHost: string;
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
    publicUrl: publicUrlFrom(overrides.publicUrl, env.FAZT_PUBLIC_URL),
    dnsPort: overrides.dnsPort ?? portFrom(env.FAZT_DNS_PORT, 'FAZT_DNS_PORT'),
    dnsHost: overrides.dnsHost ?? env.FAZT_DNS_HOST ?? '127.0.0.1',
    extra: overrides.extra ?? {},
  };
}

function publicUrlFrom(flag: string | undefined, env: string | undefined): string | undefined {
  if (flag !== undefined) return parsePublicUrl(flag, 'The public URL (--public-url)');
  return env ? parsePublicUrl(env, 'The public URL (FAZT_PUBLIC_URL)') : undefined;
}

/** An absolute http(s) URL without query or credentials, kept without a trailing slash so paths can be appended. */
export function parsePublicUrl(value: string, source = 'The public URL'): string {
  let u: URL;
  try {
    u = new URL(value);
  } catch {
    throw new Error(`${source} must be an absolute URL starting with http:// or https://, got '${value}'.`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error(`${source} must start with http:// or https://, got '${value}'.`);
  if (u.username || u.password || u.search || u.hash) throw new Error(`${source} takes no user, query or fragment, got '${value}'.`);
  return u.href.replace(/\/+$/, '');
}

function portFrom(value: string | undefined, source: string): number | undefined {
  if (value === undefined || value === '') return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new Error(`${source} must be a port 0-65535, got '${value}'.`);
  return n;
}
