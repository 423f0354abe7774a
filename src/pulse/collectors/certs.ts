import { defineCollector } from './define.js';

/** A certificate the server holds, as a TLS module reports it. */
export interface CertInfo {
  domain: string;
  expiresAt: string;
}

export type CertProvider = () => CertInfo[] | Promise<CertInfo[]>;

/** Days left on each certificate from the registered providers (none until a TLS module adds one). */
export const certsCollector = defineCollector({
  name: 'certs',
  async collect({ kernel, now }) {
    const providers = kernel.services.pulse?.certProviders ?? [];
    const certs: { domain: string; expiresAt: string; daysLeft: number }[] = [];
    for (const p of providers) {
      for (const c of await p()) {
        certs.push({ ...c, daysLeft: Math.floor(((Date.parse(c.expiresAt) - now) / 86_400_000) * 10) / 10 });
      }
    }
    const minDaysLeft = certs.length ? Math.min(...certs.map((c) => c.daysLeft)) : null;
    return { count: certs.length, minDaysLeft, certs };
  },
});
