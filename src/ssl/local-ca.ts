import { webcrypto } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type * as X509 from '@peculiar/x509';
import type { SecretStore } from '../secrets/secret-store.js';

const ALG = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const RSA = { name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' } as const;
const CA_KEY_SECRET = 'ssl.local-ca.key';
export const LOCAL_CA_FILE = 'local-ca.pem';

type CryptoKey = webcrypto.CryptoKey;
type CryptoKeyPair = webcrypto.CryptoKeyPair;

// The X.509 library is loaded with the first certificate made or read, not at start.
let lib: Promise<typeof X509> | undefined;
function x509Lib(): Promise<typeof X509> {
  lib ??= import('@peculiar/x509').then((m) => {
    m.cryptoProvider.set(webcrypto as unknown as Parameters<typeof m.cryptoProvider.set>[0]);
    return m;
  });
  return lib;
}

/**
 * A certificate authority of this data dir only: it signs certificates for
 * *.localhost, *.test and other private names so HTTPS works on a laptop. Its
 * certificate sits in the data dir (to be trusted by the OS); its key in the secrets store.
 */
export class LocalCa {
  private ca?: Promise<{ cert: X509.X509Certificate; key: CryptoKey }>;

  constructor(
    private readonly dataDir: string,
    private readonly secrets: SecretStore,
  ) {}

  get certPath(): string {
    return join(this.dataDir, LOCAL_CA_FILE);
  }

  /** The CA certificate PEM, creating the CA on first use. */
  async certPem(): Promise<string> {
    return `${(await this.load()).cert.toString('pem')}\n`;
  }

  /** Issues a leaf for the names; returns PEM chain (leaf + CA) and PKCS#8 key. */
  /**
   * `rsa` for the listener's default certificate: OpenSSL keeps a default certificate
   * of another key type next to the one SNI picks and prefers ECDSA, so the default
   * is RSA and every certificate SNI chooses (ECDSA or RSA) wins over it.
   */
  async issue(names: string[], opts: { days?: number; rsa?: boolean } = {}): Promise<{ certPem: string; keyPem: string }> {
    const x509 = await x509Lib();
    const ca = await this.load();
    const days = opts.days ?? 397;
    const keys = (await webcrypto.subtle.generateKey(opts.rsa ? RSA : ALG, true, ['sign', 'verify'])) as CryptoKeyPair;
    const now = Date.now();
    const cert = await x509.X509CertificateGenerator.create({
      serialNumber: randomSerial(),
      subject: `CN=${names[0]}`,
      issuer: ca.cert.subject,
      notBefore: new Date(now - 60_000),
      notAfter: new Date(now + days * 86_400_000),
      signingAlgorithm: ALG,
      publicKey: keys.publicKey,
      signingKey: ca.key,
      extensions: [
        new x509.BasicConstraintsExtension(false, undefined, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | (opts.rsa ? x509.KeyUsageFlags.keyEncipherment : 0), true),
        new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
        new x509.SubjectAlternativeNameExtension(names.map((value) => ({ type: 'dns' as const, value }))),
        await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
        await x509.AuthorityKeyIdentifierExtension.create(ca.cert),
      ],
    });
    return { certPem: `${cert.toString('pem')}\n${ca.cert.toString('pem')}\n`, keyPem: await pkcs8Pem(keys.privateKey) };
  }

  /** One load at a time: two first callers must not create two CAs. */
  private load(): Promise<{ cert: X509.X509Certificate; key: CryptoKey }> {
    this.ca ??= this.open().catch((err) => ((this.ca = undefined), Promise.reject(err)));
    return this.ca;
  }

  private async open(): Promise<{ cert: X509.X509Certificate; key: CryptoKey }> {
    const x509 = await x509Lib();
    const keyPem = this.secrets.get(CA_KEY_SECRET);
    if (keyPem && existsSync(this.certPath)) {
      const cert = new x509.X509Certificate(readFileSync(this.certPath, 'utf8'));
      const der = x509.PemConverter.decodeFirst(keyPem);
      const key = await webcrypto.subtle.importKey('pkcs8', der, ALG, false, ['sign']);
      return { cert, key: key as CryptoKey };
    }
    const keys = (await webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify'])) as CryptoKeyPair;
    const now = Date.now();
    const cert = await x509.X509CertificateGenerator.createSelfSigned({
      serialNumber: randomSerial(),
      name: `CN=fazt local CA ${randomSerial().slice(0, 8)}, O=fazt`,
      notBefore: new Date(now - 60_000),
      notAfter: new Date(now + 10 * 365 * 86_400_000),
      signingAlgorithm: ALG,
      keys,
      extensions: [
        new x509.BasicConstraintsExtension(true, 0, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
        await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
      ],
    });
    this.secrets.set(CA_KEY_SECRET, await pkcs8Pem(keys.privateKey));
    writeFileSync(this.certPath, cert.toString('pem') + '\n', { mode: 0o600 });
    return { cert, key: keys.privateKey };
  }
}

function randomSerial(): string {
  const b = webcrypto.getRandomValues(new Uint8Array(16));
  b[0] &= 0x7f; // positive
  return Buffer.from(b).toString('hex');
}

async function pkcs8Pem(key: CryptoKey): Promise<string> {
  const der = await webcrypto.subtle.exportKey('pkcs8', key);
  return (await x509Lib()).PemConverter.encode(der, 'PRIVATE KEY');
}
