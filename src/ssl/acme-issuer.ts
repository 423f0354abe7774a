import { AsyncLocalStorage } from 'node:async_hooks';
import { Agent, get as httpsGet } from 'node:https';
import { rootCertificates } from 'node:tls';
import type { Dns01Solver, Http01Responder } from './challenges.js';

export interface AcmeSettings {
  directoryUrl: string;
  email?: string;
  eab?: { kid: string; hmacKey: string };
  /** Extra CA certificates (PEM) trusted for the directory's own TLS only — a private or test CA. */
  directoryCaPem?: string;
}

export interface IssueRequest {
  names: string[];
  accountKeyPem: string;
  accountUrl?: string;
  http01: Http01Responder;
  dns01?: Dns01Solver;
}

export interface Issued {
  certPem: string;
  keyPem: string;
  accountUrl: string;
}

/** A failed ACME exchange, with the CA's RFC 8555 problem document when it sent one. */
export class AcmeFailure extends Error {
  constructor(
    message: string,
    readonly problem?: unknown,
  ) {
    super(message);
  }
}

interface CallScope {
  /** Only requests to this origin get the extra trust. */
  origin: string;
  agent?: Agent;
  problem?: unknown;
}

const scope = new AsyncLocalStorage<CallScope>();
let acmeLib: Promise<typeof import('acme-client')> | undefined;

/** acme-client (and axios) load with the first certificate, not at start. */
function loadAcme(): Promise<typeof import('acme-client')> {
  acmeLib ??= import('acme-client').then((mod) => {
    const acme = (mod as unknown as { default?: typeof import('acme-client') }).default ?? mod;
    acme.axios.interceptors.request.use((config) => {
      const s = scope.getStore();
      if (s?.agent && config.url && new URL(config.url).origin === s.origin) config.httpsAgent = s.agent;
      return config;
    });
    acme.axios.interceptors.response.use(
      (res) => (noteProblem(res.data), res),
      (err: { response?: { data?: unknown } }) => (noteProblem(err?.response?.data), Promise.reject(err)),
    );
    return acme;
  });
  return acmeLib;
}

function isProblem(d: unknown): d is { type: string; detail?: string } {
  return !!d && typeof d === 'object' && typeof (d as { type?: unknown }).type === 'string' && (d as { type: string }).type.startsWith('urn:ietf:params:acme:error:');
}

/** Keeps the most specific problem document the CA sent during this call. */
function noteProblem(data: unknown): void {
  const s = scope.getStore();
  if (!s || !data || typeof data !== 'object') return;
  const d = data as { error?: unknown; challenges?: { error?: unknown }[] };
  const found = isProblem(data) ? data : isProblem(d.error) ? d.error : d.challenges?.map((c) => c.error).find(isProblem);
  if (found) s.problem = found;
}

export async function createAccountKey(): Promise<string> {
  const acme = await loadAcme();
  return (await acme.crypto.createPrivateKey()).toString();
}

/**
 * Orders a certificate for `names` (wildcards by DNS-01, others by HTTP-01 served
 * by this server) and returns the chain, its new key and the account URL.
 */
export async function issueCertificate(settings: AcmeSettings, req: IssueRequest): Promise<Issued> {
  const acme = await loadAcme();
  const s: CallScope = { origin: new URL(settings.directoryUrl).origin, agent: trustAgent(settings) };
  return scope.run(s, async () => {
    try {
      await reachable(settings.directoryUrl, s.agent);
      const client = new acme.Client({
        directoryUrl: settings.directoryUrl,
        accountKey: req.accountKeyPem,
        ...(req.accountUrl ? { accountUrl: req.accountUrl } : {}),
        ...(settings.eab ? { externalAccountBinding: settings.eab } : {}),
        backoffAttempts: 12,
        backoffMin: 250,
        backoffMax: 10_000,
      });
      // ECDSA P-256: smaller and faster handshakes than RSA.
      const [key, csr] = await acme.crypto.createCsr({ commonName: req.names[0], altNames: req.names }, await acme.crypto.createPrivateEcdsaKey());
      const wantsDns = req.names.some((n) => n.startsWith('*.'));
      const certPem = await client.auto({
        csr,
        email: settings.email,
        termsOfServiceAgreed: true,
        // The CA checks; checking first from here would need the outside view of DNS.
        skipChallengeVerification: true,
        challengePriority: wantsDns ? ['dns-01'] : req.dns01 ? ['http-01', 'dns-01'] : ['http-01'],
        challengeCreateFn: async (authz, challenge, keyAuthorization) => {
          if (challenge.type === 'http-01') req.http01.set(challenge.token, keyAuthorization);
          else if (challenge.type === 'dns-01' && req.dns01) await req.dns01.setTxt(`_acme-challenge.${authz.identifier.value}`, keyAuthorization);
          else throw new Error(`no way to answer a ${challenge.type} challenge`);
        },
        challengeRemoveFn: async (authz, challenge, keyAuthorization) => {
          if (challenge.type === 'http-01') req.http01.delete(challenge.token);
          else if (challenge.type === 'dns-01' && req.dns01) await req.dns01.removeTxt(`_acme-challenge.${authz.identifier.value}`, keyAuthorization);
        },
      });
      return { certPem, keyPem: key.toString(), accountUrl: client.getAccountUrl() };
    } catch (err) {
      throw new AcmeFailure(describe(err, settings.directoryUrl), s.problem);
    }
  });
}

export async function revokeCertificate(settings: AcmeSettings, accountKeyPem: string, accountUrl: string | undefined, certPem: string): Promise<void> {
  const acme = await loadAcme();
  const s: CallScope = { origin: new URL(settings.directoryUrl).origin, agent: trustAgent(settings) };
  await scope.run(s, async () => {
    try {
      await reachable(settings.directoryUrl, s.agent);
      const client = new acme.Client({ directoryUrl: settings.directoryUrl, accountKey: accountKeyPem, ...(accountUrl ? { accountUrl } : {}) });
      await client.revokeCertificate(certPem, { reason: 0 });
    } catch (err) {
      throw new AcmeFailure(describe(err, settings.directoryUrl), s.problem);
    }
  });
}

/**
 * One quick look at the directory first: a CA that is down is reported at once by
 * its network error, instead of after the client's retries (over a minute).
 */
function reachable(directoryUrl: string, agent: Agent | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = httpsGet(directoryUrl, { ...(agent ? { agent } : {}), timeout: 15_000 }, (res) => {
      res.resume();
      if ((res.statusCode ?? 0) >= 500) reject(new AcmeFailure(`The ACME directory ${directoryUrl} answered ${res.statusCode}.`));
      else resolve();
    });
    req.on('timeout', () => req.destroy(Object.assign(new Error('timed out'), { code: 'ETIMEDOUT' })));
    req.on('error', (err: NodeJS.ErrnoException) => reject(new AcmeFailure(`The ACME directory ${directoryUrl} could not be reached (${err.code ?? err.message}).`)));
  });
}

function trustAgent(settings: AcmeSettings): Agent | undefined {
  return settings.directoryCaPem ? new Agent({ ca: [...rootCertificates, settings.directoryCaPem], keepAlive: false }) : undefined;
}

function describe(err: unknown, directoryUrl: string): string {
  if (err instanceof AcmeFailure) return err.message;
  const e = err as { code?: string; message?: string };
  // acme-client loses a network error after its retries and fails reading the missing response.
  if (err instanceof TypeError && /reading 'config'|reading 'status'/.test(e.message ?? '')) return `The ACME server ${directoryUrl} stopped answering (network error).`;
  if (e?.code === 'ECONNREFUSED' || e?.code === 'ENOTFOUND' || e?.code === 'ETIMEDOUT' || e?.code === 'ECONNRESET') {
    return `The ACME directory ${directoryUrl} could not be reached (${e.code}).`;
  }
  return (e?.message || String(err)).slice(0, 500);
}
