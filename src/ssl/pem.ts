import { createPrivateKey, X509Certificate } from 'node:crypto';
import { OpError } from '../kernel/ops/errors.js';

/** What fazt keeps about a certificate besides its PEM. */
export interface CertFacts {
  serial: string;
  notBefore: string;
  notAfter: string;
  issuer: string;
  /** DNS names from the subjectAltName (lower-case). */
  names: string[];
  fingerprint256: string;
}

const PEM_CERT_RE = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/** The certificates of a PEM chain, leaf first. */
export function splitChain(pem: string): string[] {
  return pem.match(PEM_CERT_RE) ?? [];
}

export function certFacts(pem: string): CertFacts {
  const leaf = splitChain(pem)[0];
  if (!leaf) throw new OpError('BAD_INPUT', 'No PEM certificate found: expected -----BEGIN CERTIFICATE-----.', { fields: [{ path: 'cert', message: 'not a PEM certificate' }] });
  let x: X509Certificate;
  try {
    x = new X509Certificate(leaf);
  } catch (err) {
    throw new OpError('BAD_INPUT', `The certificate cannot be read: ${(err as Error).message}.`, { fields: [{ path: 'cert', message: 'unreadable certificate' }] });
  }
  const names = (x.subjectAltName ?? '')
    .split(/,\s*/)
    .filter((s) => s.startsWith('DNS:'))
    .map((s) => s.slice(4).toLowerCase());
  const cn = /CN=([^\n,]+)/.exec(x.subject)?.[1];
  if (!names.length && cn) names.push(cn.toLowerCase());
  return {
    serial: x.serialNumber.toLowerCase(),
    notBefore: new Date(x.validFrom).toISOString(),
    notAfter: new Date(x.validTo).toISOString(),
    issuer: /CN=([^\n,]+)/.exec(x.issuer)?.[1] ?? x.issuer.replace(/\n/g, ', '),
    names,
    fingerprint256: x.fingerprint256,
  };
}

/** Throws BAD_INPUT unless the private key is the one the certificate's public key belongs to. */
export function checkKeyMatches(certPem: string, keyPem: string): void {
  let key;
  try {
    key = createPrivateKey(keyPem);
  } catch (err) {
    throw new OpError('BAD_INPUT', `The private key cannot be read (expected an unencrypted PEM key): ${(err as Error).message}.`, { fields: [{ path: 'privateKey', message: 'unreadable key' }] });
  }
  const leaf = new X509Certificate(splitChain(certPem)[0]);
  if (!leaf.checkPrivateKey(key)) {
    throw new OpError('BAD_INPUT', 'The private key does not match the certificate (it belongs to another certificate). Nothing was imported.', {
      fields: [{ path: 'privateKey', message: 'does not match the certificate' }],
    });
  }
}
