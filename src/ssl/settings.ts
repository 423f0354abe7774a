import { readFileSync } from 'node:fs';
import type { Config } from '../kernel/config.js';

export const LETS_ENCRYPT = {
  production: 'https://acme-v02.api.letsencrypt.org/directory',
  staging: 'https://acme-staging-v02.api.letsencrypt.org/directory',
};

/** HTTPS and ACME settings, read from `ssl.*` start-up settings (the server's --https-port, --acme-* flags set them). */
export interface SslSettings {
  /** undefined: no HTTPS listener. */
  httpsPort?: number;
  httpRedirect: boolean;
  acmeDirectory: string;
  acmeEmail?: string;
  eabKid?: string;
  /** PEM of an extra CA trusted for the ACME directory's own TLS (a private or test CA). */
  acmeCaPem?: string;
  acmeCaFile?: string;
  autoTls: boolean;
  /** `challtestsrv:<url>` or the name of a registered DNS-01 solver. */
  dns01?: string;
  /** Port the autoTls DNS check probes for HTTP-01 answers; default: the server's own HTTP port. */
  challengePort?: number;
  /** DNS servers the autoTls check resolves with (host:port, comma-separated); default: the system's. */
  resolver?: string[];
}

const KEYS: Record<string, string> = {
  'ssl.httpsPort': "port number, or 'off'",
  'ssl.httpRedirect': 'true|false',
  'ssl.acmeDirectory': "URL, 'production' or 'staging'",
  'ssl.acmeEmail': 'contact e-mail',
  'ssl.acmeEabKid': 'External Account Binding key id',
  'ssl.acmeEabHmacKey': 'External Account Binding HMAC key (moved into the secrets store)',
  'ssl.acmeCa': 'path of a PEM CA trusted for the ACME directory',
  'ssl.autoTls': 'true|false',
  'ssl.dns01': "DNS-01 solver: 'infra' (the DNS provider hosting the zone), 'builtin' (zones this server hosts) or 'challtestsrv:http://127.0.0.1:8055'",
  'ssl.challengePort': "port number (default: the server's HTTP port)",
  'ssl.resolver': 'DNS servers host:port, comma-separated',
};

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

export function readSslSettings(config: Config): SslSettings {
  const x = config.extra;
  for (const k of Object.keys(x)) {
    if (k.startsWith('ssl.') && !(k in KEYS)) {
      throw new Error(`Unknown setting '${k}'. HTTPS settings: ${Object.entries(KEYS).map(([n, v]) => `${n} (${v})`).join(', ')}.`);
    }
  }
  const port = (key: string, fallback: number | undefined): number | undefined => {
    const v = x[key];
    if (v === undefined || v === '') return fallback;
    if (v === 'off' || v === 'false') return undefined;
    const n = Number(v);
    if (!Number.isInteger(n) || n < 0 || n > 65535) throw new Error(`${key} must be a port 0-65535 or 'off', got '${v}'.`);
    return n;
  };
  const bool = (key: string, fallback: boolean): boolean => {
    const v = x[key];
    if (v === undefined || v === '') return fallback;
    if (v === 'true' || v === '1' || v === 'on') return true;
    if (v === 'false' || v === '0' || v === 'off') return false;
    throw new Error(`${key} must be true or false, got '${v}'.`);
  };
  const caFile = x['ssl.acmeCa'] || undefined;
  let acmeCaPem: string | undefined;
  if (caFile) {
    try {
      acmeCaPem = readFileSync(caFile, 'utf8');
    } catch (err) {
      throw new Error(`ssl.acmeCa: cannot read '${caFile}': ${(err as Error).message}`);
    }
    if (!acmeCaPem.includes('BEGIN CERTIFICATE')) throw new Error(`ssl.acmeCa: '${caFile}' holds no PEM certificate.`);
  }
  const email = x['ssl.acmeEmail'] || undefined;
  if (email !== undefined && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email)) throw new Error(`ssl.acmeEmail must be an e-mail address, got '${email}'.`);
  const resolver = x['ssl.resolver'] ? x['ssl.resolver'].split(',').map((s) => s.trim()).filter(Boolean) : undefined;
  return {
    httpsPort: port('ssl.httpsPort', LOOPBACK.has(config.host) ? undefined : 443),
    httpRedirect: bool('ssl.httpRedirect', false),
    acmeDirectory: directoryUrl(x['ssl.acmeDirectory']),
    acmeEmail: email,
    eabKid: x['ssl.acmeEabKid'] || undefined,
    acmeCaPem,
    acmeCaFile: caFile,
    autoTls: bool('ssl.autoTls', true),
    dns01: x['ssl.dns01'] || undefined,
    challengePort: port('ssl.challengePort', undefined),
    resolver,
  };
}

function directoryUrl(v: string | undefined): string {
  if (!v || v === 'production') return LETS_ENCRYPT.production;
  if (v === 'staging') return LETS_ENCRYPT.staging;
  let u: URL;
  try {
    u = new URL(v);
  } catch {
    throw new Error(`ssl.acmeDirectory (--acme-directory) must be an https:// URL, 'production' or 'staging', got '${v}'.`);
  }
  if (u.protocol !== 'https:') throw new Error(`ssl.acmeDirectory (--acme-directory) must use https://, got '${v}'.`);
  return u.href;
}
