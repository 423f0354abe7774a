import type { DB } from '../store/db.js';
import { nowIso } from '../store/db.js';
import type { SecretStore } from '../secrets/secret-store.js';
import { certFacts } from './pem.js';

export type CertSource = 'acme' | 'local' | 'imported';

export interface CertRecord {
  domain: string;
  names: string[];
  source: CertSource;
  certPem?: string;
  serial?: string;
  issuer?: string;
  notBefore?: string;
  notAfter?: string;
  renewAt?: string;
  /** pending: never issued yet; valid: the last attempt succeeded; failed: it did not (an older certificate may still serve); revoked. */
  status: 'pending' | 'valid' | 'failed' | 'revoked';
  lastError?: string;
  /** The CA's problem document from the last failure. */
  problem?: unknown;
  failures: number;
  nextAttemptAt?: string;
  createdAt: string;
  updatedAt: string;
}

interface Row {
  domain: string; names: string; source: CertSource; cert_pem: string | null; serial: string | null; issuer: string | null;
  not_before: string | null; not_after: string | null; renew_at: string | null; status: CertRecord['status'];
  last_error: string | null; problem: string | null; failures: number; next_attempt_at: string | null; created_at: string; updated_at: string;
}

const keySecret = (domain: string) => `ssl.key.${domain}`;

/**
 * Certificates in data.db. The private key of each lives in the secrets store
 * (sealed), written in the same transaction as the certificate so neither exists alone.
 */
export class CertStore {
  constructor(
    private readonly db: DB,
    private readonly secrets: SecretStore,
  ) {}

  get(domain: string): CertRecord | undefined {
    const r = this.db.prepare('SELECT * FROM ssl_certs WHERE domain = ?').get(domain) as Row | undefined;
    return r && toRecord(r);
  }

  list(): CertRecord[] {
    return (this.db.prepare('SELECT * FROM ssl_certs ORDER BY domain').all() as Row[]).map(toRecord);
  }

  keyPem(domain: string): string | undefined {
    return this.secrets.get(keySecret(domain));
  }

  /** Stores a newly issued certificate and its key, replacing any older one; clears failures. */
  saveIssued(domain: string, source: CertSource, certPem: string, keyPem: string, renewAt: string): CertRecord {
    const f = certFacts(certPem);
    const now = nowIso();
    this.db.transaction(() => {
      this.secrets.set(keySecret(domain), keyPem);
      this.db
        .prepare(
          `INSERT INTO ssl_certs (domain, names, source, cert_pem, serial, issuer, not_before, not_after, renew_at, status, last_error, problem, failures, next_attempt_at, created_at, updated_at)
           VALUES (@domain, @names, @source, @cert, @serial, @issuer, @nb, @na, @renewAt, 'valid', NULL, NULL, 0, NULL, @now, @now)
           ON CONFLICT(domain) DO UPDATE SET names = excluded.names, source = excluded.source, cert_pem = excluded.cert_pem, serial = excluded.serial,
             issuer = excluded.issuer, not_before = excluded.not_before, not_after = excluded.not_after, renew_at = excluded.renew_at,
             status = 'valid', last_error = NULL, problem = NULL, failures = 0, next_attempt_at = NULL, updated_at = excluded.updated_at`,
        )
        .run({ domain, names: JSON.stringify(f.names), source, cert: certPem, serial: f.serial, issuer: f.issuer, nb: f.notBefore, na: f.notAfter, renewAt, now });
    })();
    return this.get(domain)!;
  }

  /** A certificate that is wanted but not issued yet (the row the scheduler retries from). */
  ensurePending(domain: string, names: string[], source: CertSource): CertRecord {
    const now = nowIso();
    this.db
      .prepare(`INSERT INTO ssl_certs (domain, names, source, status, created_at, updated_at) VALUES (?, ?, ?, 'pending', ?, ?) ON CONFLICT(domain) DO NOTHING`)
      .run(domain, JSON.stringify(names), source, now, now);
    return this.get(domain)!;
  }

  /** Records a failed attempt; an existing certificate and key stay untouched and keep serving. */
  recordFailure(domain: string, message: string, problem: unknown, nextAttemptAt: string): CertRecord {
    this.db
      .prepare(`UPDATE ssl_certs SET status = 'failed', last_error = ?, problem = ?, failures = failures + 1, next_attempt_at = ?, updated_at = ? WHERE domain = ?`)
      .run(message, problem === undefined ? null : JSON.stringify(problem), nextAttemptAt, nowIso(), domain);
    return this.get(domain)!;
  }

  markRevoked(domain: string): void {
    this.db.prepare(`UPDATE ssl_certs SET status = 'revoked', renew_at = NULL, next_attempt_at = NULL, updated_at = ? WHERE domain = ?`).run(nowIso(), domain);
  }

  delete(domain: string): boolean {
    return this.db.transaction(() => {
      this.secrets.delete(keySecret(domain));
      return this.db.prepare('DELETE FROM ssl_certs WHERE domain = ?').run(domain).changes > 0;
    })();
  }

  account(directory: string): { accountUrl?: string; email?: string } | undefined {
    const r = this.db.prepare('SELECT account_url, email FROM ssl_accounts WHERE directory = ?').get(directory) as { account_url: string | null; email: string | null } | undefined;
    return r && { accountUrl: r.account_url ?? undefined, email: r.email ?? undefined };
  }

  saveAccount(directory: string, accountUrl: string, email?: string): void {
    this.db
      .prepare(`INSERT INTO ssl_accounts (directory, account_url, email, created_at) VALUES (?, ?, ?, ?)
                ON CONFLICT(directory) DO UPDATE SET account_url = excluded.account_url, email = excluded.email`)
      .run(directory, accountUrl, email ?? null, nowIso());
  }
}

function toRecord(r: Row): CertRecord {
  return {
    domain: r.domain,
    names: JSON.parse(r.names) as string[],
    source: r.source,
    ...(r.cert_pem ? { certPem: r.cert_pem } : {}),
    ...(r.serial ? { serial: r.serial } : {}),
    ...(r.issuer ? { issuer: r.issuer } : {}),
    ...(r.not_before ? { notBefore: r.not_before } : {}),
    ...(r.not_after ? { notAfter: r.not_after } : {}),
    ...(r.renew_at ? { renewAt: r.renew_at } : {}),
    status: r.status,
    ...(r.last_error ? { lastError: r.last_error } : {}),
    ...(r.problem ? { problem: JSON.parse(r.problem) as unknown } : {}),
    failures: r.failures,
    ...(r.next_attempt_at ? { nextAttemptAt: r.next_attempt_at } : {}),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}
