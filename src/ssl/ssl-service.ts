import type { Http2SecureServer } from 'node:http2';
import type { SecureContext } from 'node:tls';
import type { Kernel } from '../kernel/kernel.js';
import { OpError } from '../kernel/ops/errors.js';
import type { CertState } from '../apps/domains-service.js';
import { AcmeFailure, createAccountKey, issueCertificate, revokeCertificate, type AcmeSettings } from './acme-issuer.js';
import { CertStore, type CertRecord, type CertSource } from './cert-store.js';
import { Http01Responder, type Dns01Solver } from './challenges.js';
import { ChalltestsrvSolver } from './dns-solvers/challtestsrv.js';
import { pointsHere } from './dns-probe.js';
import { isPrivateName, nameCovers, normalizeDomain } from './domain-name.js';
import { LocalCa } from './local-ca.js';
import { certFacts, checkKeyMatches } from './pem.js';
import { renewAtFor, retryDelayMs } from './renewal-policy.js';
import { RenewalScheduler } from './renewal-scheduler.js';
import type { SslSettings } from './settings.js';
import { SniCache } from './sni-cache.js';

const ACCOUNT_KEY_SECRET = 'ssl.acme.account-key';
export const EAB_HMAC_SECRET = 'ssl.acme.eab-hmac-key';

/** What ops return about a certificate: never the key. */
export interface CertSummary {
  domain: string;
  names: string[];
  source: CertSource;
  state: CertState['status'];
  serial?: string;
  issuer?: string;
  notBefore?: string;
  notAfter?: string;
  renewAt?: string;
  failures: number;
  nextAttemptAt?: string;
  lastError?: string;
  problem?: unknown;
}

/**
 * Certificates end to end: issue (ACME or the local CA), store, serve by SNI,
 * renew on schedule, revoke, import. Every path that changes a certificate ends
 * in `install`, which swaps it into the running listener.
 */
export class SslService {
  readonly store: CertStore;
  readonly sni = new SniCache();
  readonly http01 = new Http01Responder();
  readonly localCa: LocalCa;
  readonly scheduler: RenewalScheduler;
  /** Set once the HTTPS listener listens. */
  httpsPort?: number;
  listener?: Http2SecureServer;
  private readonly solvers = new Map<string, Dns01Solver>();
  private readonly inflight = new Map<string, Promise<CertRecord>>();

  constructor(
    private readonly kernel: Kernel,
    readonly settings: SslSettings,
  ) {
    this.store = new CertStore(kernel.db, kernel.services.secrets);
    this.localCa = new LocalCa(kernel.config.dataDir, kernel.services.secrets);
    this.scheduler = new RenewalScheduler({ records: () => this.store.list(), attempt: (d) => this.scheduledAttempt(d) });
  }

  /** DNS-01 solvers by name (DNS providers register theirs here); `ssl.dns01` picks one. */
  registerDnsSolver(solver: Dns01Solver): void {
    this.solvers.set(solver.name, solver);
  }

  dnsSolver(): Dns01Solver | undefined {
    const pick = this.settings.dns01;
    if (!pick) return undefined;
    if (pick.startsWith('challtestsrv:')) return new ChalltestsrvSolver(pick.slice('challtestsrv:'.length));
    return this.solvers.get(pick);
  }

  /** The names the server answers for itself; its certificate is the default for unknown names. */
  ownNames(): string[] {
    const d = this.kernel.config.domain;
    // TLS clients refuse a wildcard over a single label (*.localhost): those names get certificates one by one.
    return d.includes('.') ? [d, `*.${d}`] : [d];
  }

  /**
   * A local certificate made at the first handshake for a private name this server
   * serves (hello.localhost, a custom *.test domain); other names get the default.
   */
  async onDemand(servername: string): Promise<SecureContext | undefined> {
    const name = servername.toLowerCase();
    if (!isPrivateName(name) || !this.serves(name)) return undefined;
    const r = this.store.get(name);
    if (r?.status === 'revoked') return undefined;
    if (!r?.certPem) await this.provision(name);
    return this.sni.lookup(name);
  }

  /** Names that reach an app: the own domain, admin., an existing app's <slug>.<domain>, a custom domain. */
  private serves(name: string): boolean {
    const own = this.kernel.config.domain;
    if (name === own || this.kernel.services.domains?.slugFor(name) !== undefined) return true;
    if (!name.endsWith(`.${own}`)) return false;
    const slug = name.slice(0, -own.length - 1);
    return slug === 'admin' || (!slug.includes('.') && this.kernel.services.apps.find(slug) !== undefined);
  }

  /** Loads every stored certificate into the SNI cache and makes sure a default exists. */
  async load(): Promise<{ cert: string; key: string }> {
    const own = this.kernel.config.domain;
    if (!this.store.get(own)?.certPem) await this.issueLocal(own, this.ownNames());
    for (const r of this.store.list()) this.install(r);
    const def = this.store.get(own)!;
    return { cert: def.certPem!, key: this.store.keyPem(own)! };
  }

  private install(r: CertRecord): void {
    if (!r.certPem || r.status === 'revoked') return this.sni.remove(r.domain);
    let key: string | undefined;
    try {
      key = this.store.keyPem(r.domain);
    } catch (err) {
      process.emitWarning(`certificate for ${r.domain} not served: ${(err as Error).message}`);
      return;
    }
    if (!key) return;
    this.sni.put(r.domain, r.names, r.certPem, key);
    if (r.domain === this.kernel.config.domain) this.sni.setDefault(r.certPem, key);
  }

  // ---- reading ----

  /** The HTTPS and ACME settings for the config view: no secrets, only whether they are set. */
  describeSettings(): Record<string, unknown> {
    const s = this.settings;
    return {
      httpsPort: this.httpsPort ?? null,
      httpRedirect: s.httpRedirect,
      acmeDirectory: s.acmeDirectory,
      acmeEmail: s.acmeEmail ?? null,
      externalAccountBinding: s.eabKid ? { kid: s.eabKid, hmacKeyStored: this.kernel.services.secrets.has(EAB_HMAC_SECRET) } : null,
      acmeCaFile: s.acmeCaFile ?? null,
      autoTls: s.autoTls,
      dns01: s.dns01 ? s.dns01.replace(/:.*/, '') : null,
      localCa: this.localCa.certPath,
    };
  }

  list(): CertSummary[] {
    return this.store.list().map((r) => this.summarize(r));
  }

  status(domain: string): CertSummary {
    const d = normalizeDomain(domain, { wildcard: true });
    const r = this.store.get(d) ?? this.covering(d);
    if (!r) throw new OpError('NOT_FOUND', `No certificate for ${d}. Provision one with net.ssl.provision.`, { domain: d });
    return this.summarize(r);
  }

  /** The state of the certificate serving `domain` (exact or wildcard), for apps.get. */
  stateOf(domain: string): CertState {
    const r = this.store.get(domain) ?? this.covering(domain);
    if (!r) return { status: this.inflight.has(domain) ? 'pending' : 'none' };
    const s = this.summarize(r);
    return {
      status: s.state,
      source: s.source,
      ...(s.issuer ? { issuer: s.issuer } : {}),
      ...(s.serial ? { serial: s.serial } : {}),
      ...(s.notAfter ? { notAfter: s.notAfter } : {}),
      ...(s.renewAt ? { renewAt: s.renewAt } : {}),
      ...(s.lastError ? { lastError: s.lastError } : {}),
    };
  }

  /** True when a live certificate for exactly this domain serves it (removing it takes the site off HTTPS). */
  inUse(domain: string): boolean {
    let d: string;
    try {
      d = normalizeDomain(domain);
    } catch {
      return false;
    }
    const r = this.store.get(d);
    return !!r?.certPem && r.status !== 'revoked' && Date.parse(r.notAfter ?? '') > Date.now();
  }

  /** Drops the certificate of a domain that is no longer served. */
  dropFor(domain: string): void {
    if (this.store.delete(domain)) this.sni.remove(domain);
    this.scheduler.arm();
  }

  certInfos(): { domain: string; expiresAt: string }[] {
    return this.store
      .list()
      .filter((r) => r.certPem && r.notAfter && r.status !== 'revoked')
      .map((r) => ({ domain: r.domain, expiresAt: r.notAfter! }));
  }

  private covering(domain: string): CertRecord | undefined {
    const dot = domain.indexOf('.');
    if (dot <= 0) return undefined;
    const wild = this.store.get(`*${domain.slice(dot)}`);
    return wild && wild.names.some((n) => nameCovers(n, domain)) ? wild : undefined;
  }

  private summarize(r: CertRecord): CertSummary {
    const busy = this.inflight.has(r.domain);
    const expired = !!r.notAfter && Date.parse(r.notAfter) <= Date.now();
    const state: CertState['status'] =
      r.status === 'revoked' ? 'revoked' : busy ? (r.certPem ? 'renewing' : 'pending') : r.certPem && expired ? 'expired' : r.status;
    return {
      domain: r.domain, names: r.names, source: r.source, state,
      ...(r.serial ? { serial: r.serial } : {}),
      ...(r.issuer ? { issuer: r.issuer } : {}),
      ...(r.notBefore ? { notBefore: r.notBefore } : {}),
      ...(r.notAfter ? { notAfter: r.notAfter } : {}),
      ...(r.renewAt ? { renewAt: r.renewAt } : {}),
      failures: r.failures,
      ...(r.nextAttemptAt ? { nextAttemptAt: r.nextAttemptAt } : {}),
      ...(r.lastError ? { lastError: r.lastError } : {}),
      ...(r.problem !== undefined ? { problem: r.problem } : {}),
    };
  }

  // ---- issuing ----

  /** Issues (or re-issues) the certificate for one name; concurrent calls for it share one attempt. */
  provision(rawDomain: string, wanted?: string[]): Promise<CertRecord> {
    const domain = normalizeDomain(rawDomain, { wildcard: true });
    const running = this.inflight.get(domain);
    if (running) return running;
    const existing = this.store.get(domain);
    // Public names go to the ACME CA even when the local CA served them first (the server's own default).
    const source: CertSource = isPrivateName(domain) ? 'local' : 'acme';
    if (source === 'acme' && domain.startsWith('*.') && !this.dnsSolver()) {
      throw new OpError('BAD_INPUT', `A wildcard certificate (${domain}) can only be validated by DNS-01, and no DNS-01 solver is configured (ssl.dns01, or a DNS provider).`, {
        fields: [{ path: 'domain', message: 'wildcard needs DNS-01' }],
      });
    }
    const names = existing?.source === source && existing.names.length ? existing.names : (wanted ?? [domain]);
    const p = (source === 'local' ? this.issueLocal(domain, names) : this.issueAcme(domain, names)).finally(() => {
      this.inflight.delete(domain);
      this.scheduler.arm();
    });
    this.inflight.set(domain, p);
    return p;
  }

  renew(rawDomain: string): Promise<CertRecord> {
    const domain = normalizeDomain(rawDomain, { wildcard: true });
    const r = this.store.get(domain);
    if (!r) throw new OpError('NOT_FOUND', `No certificate for ${domain} to renew. Provision one with net.ssl.provision.`, { domain });
    if (r.source === 'imported') throw new OpError('BAD_INPUT', `The certificate for ${domain} was imported; fazt cannot renew it. Import its successor with net.ssl.import, or provision one from ACME.`, { domain });
    return this.provision(domain);
  }

  private async issueLocal(domain: string, names: string[]): Promise<CertRecord> {
    const { certPem, keyPem } = await this.localCa.issue(names, { rsa: domain === this.kernel.config.domain });
    const f = certFacts(certPem);
    const r = this.store.saveIssued(domain, 'local', certPem, keyPem, renewAtFor(f.notBefore, f.notAfter));
    this.install(r);
    this.kernel.events.emit({ type: 'system.ssl.renewed', source: 'system', data: { domain, serial: r.serial, notAfter: r.notAfter, source: 'local' } });
    return r;
  }

  private acmeSettings(): AcmeSettings {
    const s = this.settings;
    const hmacKey = s.eabKid ? this.kernel.services.secrets.get(EAB_HMAC_SECRET) : undefined;
    if (s.eabKid && !hmacKey) throw new OpError('BAD_INPUT', 'ssl.acmeEabKid is set but no EAB HMAC key is stored; start with --acme-eab-hmac-key or FAZT_ACME_EAB_HMAC_KEY.');
    return {
      directoryUrl: s.acmeDirectory,
      ...(s.acmeEmail ? { email: s.acmeEmail } : {}),
      ...(s.eabKid && hmacKey ? { eab: { kid: s.eabKid, hmacKey } } : {}),
      ...(s.acmeCaPem ? { directoryCaPem: s.acmeCaPem } : {}),
    };
  }

  private async accountKey(): Promise<string> {
    const secrets = this.kernel.services.secrets;
    let key = secrets.get(ACCOUNT_KEY_SECRET);
    if (!key) {
      key = await createAccountKey();
      secrets.set(ACCOUNT_KEY_SECRET, key);
    }
    return key;
  }

  private async issueAcme(domain: string, names: string[]): Promise<CertRecord> {
    const settings = this.acmeSettings();
    this.store.ensurePending(domain, names, 'acme');
    try {
      const accountKeyPem = await this.accountKey();
      const issued = await issueCertificate(settings, {
        names,
        accountKeyPem,
        accountUrl: this.store.account(settings.directoryUrl)?.accountUrl,
        http01: this.http01,
        dns01: this.dnsSolver(),
      });
      this.store.saveAccount(settings.directoryUrl, issued.accountUrl, settings.email);
      const f = certFacts(issued.certPem);
      const r = this.store.saveIssued(domain, 'acme', issued.certPem, issued.keyPem, renewAtFor(f.notBefore, f.notAfter));
      this.install(r);
      this.kernel.events.emit({ type: 'system.ssl.renewed', source: 'system', data: { domain, serial: r.serial, notAfter: r.notAfter, source: 'acme', issuer: r.issuer } });
      return r;
    } catch (err) {
      const problem = err instanceof AcmeFailure ? err.problem : undefined;
      throw this.fail(domain, err instanceof Error ? err.message : String(err), problem);
    }
  }

  /** Records a failed attempt, schedules the retry, tells the events bus; returns the error to throw. */
  private fail(domain: string, message: string, problem: unknown): OpError {
    const before = this.store.get(domain);
    const nextAttemptAt = new Date(Date.now() + retryDelayMs((before?.failures ?? 0) + 1)).toISOString();
    const r = this.store.recordFailure(domain, message, problem, nextAttemptAt);
    this.kernel.events.emit({ type: 'system.ssl.failed', source: 'system', data: { domain, error: message, problem: problem ?? null, failures: r.failures, nextAttemptAt, stillServing: r.certPem ? r.serial : null } });
    return new OpError('SSL_PROVISION_FAILED', `The certificate for ${domain} could not be issued: ${message}${r.certPem ? ' The current certificate keeps serving.' : ''} Next attempt ${nextAttemptAt}.`, {
      domain,
      problem: problem ?? null,
      failures: r.failures,
      nextAttemptAt,
    });
  }

  /** The scheduler's attempt: a never-issued name is first checked to point here, so the CA is not asked in vain. */
  private async scheduledAttempt(domain: string): Promise<void> {
    const r = this.store.get(domain);
    if (!r) return;
    try {
      // What the CA will be asked for: the names issued before, or (the server's own default) what its domain wants.
      const wanted = r.source === 'acme' && r.names.length ? r.names : (this.ownNamesFor(domain) ?? [domain]);
      const firstFromCa = !isPrivateName(domain) && (!r.certPem || r.source === 'local');
      if (firstFromCa && !wanted.some(isWildcard) && !(await this.pointsHere(domain))) {
        this.fail(domain, `DNS for ${domain} does not point at this server yet.`, undefined);
        return;
      }
      await this.provision(domain, wanted);
    } catch {
      // Recorded by fail(): the event and the row say what happened.
    }
  }

  pointsHere(domain: string): Promise<boolean> {
    return pointsHere(domain, this.http01, this.settings.challengePort ?? this.kernel.config.port, this.settings.resolver);
  }

  /**
   * autoTls: a new custom domain gets a certificate as soon as its DNS points here.
   * `names` with a wildcard are validated by DNS-01, so they need not point here.
   */
  async autoProvision(domain: string, names = [domain]): Promise<void> {
    if (!this.settings.autoTls || this.httpsPort === undefined) return;
    if (this.hasCaCertificate(domain)) return;
    try {
      if (isPrivateName(domain) || names.some(isWildcard) || (await this.pointsHere(domain))) await this.provision(domain, names);
      else {
        this.store.ensurePending(domain, names, 'acme');
        this.fail(domain, `DNS for ${domain} does not point at this server yet.`, undefined);
        this.scheduler.arm();
      }
    } catch {
      // Recorded as a failure with its retry time.
    }
  }

  /**
   * autoTls for the server's own public domain: its names get certificates from the CA
   * like custom domains (the local CA's default is for private names only). With a
   * DNS-01 solver, one certificate for the domain and *.domain; without, the domain,
   * admin. and each app's <slug>. one by one over HTTP-01.
   */
  async autoProvisionOwn(): Promise<void> {
    for (const [name, names] of this.ownAcmeNames()) await this.autoProvision(name, names);
  }

  /** A new app's <slug>.<own public domain> (nothing to do under a wildcard or a private domain). */
  async autoProvisionApp(slug: string): Promise<void> {
    const name = `${slug}.${this.kernel.config.domain}`;
    const names = this.ownNamesFor(name, [slug]);
    if (names) await this.autoProvision(name, names);
  }

  /** The names the CA is asked for when `name` is one of the server's own certificates. */
  private ownNamesFor(name: string, slugs: string[] = []): string[] | undefined {
    return this.ownAcmeNames(slugs).find(([n]) => n === name)?.[1];
  }

  /** The certificates the server's own domain wants from the CA, as [record, names]. */
  ownAcmeNames(slugs = this.kernel.services.apps.list(false).map((a) => a.slug)): [string, string[]][] {
    const own = this.kernel.config.domain;
    if (isPrivateName(own) || !own.includes('.')) return [];
    if (this.dnsSolver()) return [[own, [own, `*.${own}`]]];
    return [own, `admin.${own}`, ...slugs.map((s) => `${s}.${own}`)].map((n) => [n, [n]]);
  }

  /** A live certificate from a CA (or imported) covers this name already. */
  private hasCaCertificate(domain: string): boolean {
    const r = this.store.get(domain);
    // A public name served by the local CA (the server's own default) still wants a CA's certificate.
    if (r?.certPem && r.status !== 'revoked' && (r.source !== 'local' || isPrivateName(domain))) return true;
    const wild = this.covering(domain);
    return !!wild?.certPem && wild.status !== 'revoked' && wild.source !== 'local';
  }

  // ---- revoking and importing ----

  async revoke(rawDomain: string): Promise<CertRecord> {
    const domain = normalizeDomain(rawDomain, { wildcard: true });
    const r = this.store.get(domain);
    if (!r?.certPem || r.status === 'revoked') throw new OpError('NOT_FOUND', `No live certificate for ${domain} to revoke.`, { domain });
    if (domain === this.kernel.config.domain && r.source === 'local') throw new OpError('BAD_INPUT', `The certificate for ${domain} is the server's default from the local CA; there is nothing to revoke.`, { domain });
    if (r.source === 'acme') {
      const settings = this.acmeSettings();
      try {
        await revokeCertificate(settings, await this.accountKey(), this.store.account(settings.directoryUrl)?.accountUrl, r.certPem);
      } catch (err) {
        const problem = err instanceof AcmeFailure ? err.problem : undefined;
        throw new OpError('SSL_REVOKE_FAILED', `The CA refused to revoke the certificate for ${domain}: ${(err as Error).message}`, { domain, problem: problem ?? null });
      }
    }
    this.store.markRevoked(domain);
    this.sni.remove(domain);
    this.kernel.events.emit({ type: 'system.ssl.revoked', source: 'system', data: { domain, serial: r.serial } });
    this.scheduler.arm();
    return this.store.get(domain)!;
  }

  import(certPem: string, keyPem: string, rawDomain?: string): CertRecord {
    const f = certFacts(certPem);
    checkKeyMatches(certPem, keyPem);
    if (Date.parse(f.notAfter) <= Date.now()) throw new OpError('BAD_INPUT', `The certificate expired on ${f.notAfter}. Nothing was imported.`, { fields: [{ path: 'cert', message: 'expired' }] });
    const domain = rawDomain !== undefined ? normalizeDomain(rawDomain, { wildcard: true }) : f.names[0];
    if (!domain || !f.names.some((n) => nameCovers(n, domain) || n === domain)) {
      throw new OpError('BAD_INPUT', `The certificate does not cover '${domain ?? ''}'; it names ${f.names.join(', ') || 'no DNS names'}. Nothing was imported.`, {
        fields: [{ path: 'domain', message: 'not covered by the certificate' }],
      });
    }
    const r = this.store.saveIssued(domain, 'imported', certPem, keyPem, f.notAfter);
    this.install(r);
    this.kernel.events.emit({ type: 'system.ssl.renewed', source: 'system', data: { domain, serial: r.serial, notAfter: r.notAfter, source: 'imported' } });
    this.scheduler.arm();
    return r;
  }

  toSummary(r: CertRecord): CertSummary {
    return this.summarize(r);
  }
}

const isWildcard = (name: string) => name.startsWith('*.');
