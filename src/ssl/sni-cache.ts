import { createSecureContext, type SecureContext } from 'node:tls';

/**
 * Host name → TLS context for the HTTPS listener's SNI callback. Contexts are
 * built once when a certificate is stored, so a renewal swaps in on the next
 * handshake without a restart. Unknown names get the default context.
 */
export class SniCache {
  private readonly byName = new Map<string, SecureContext>();
  private readonly namesOf = new Map<string, string[]>();
  private fallback?: SecureContext;

  /** Serves `certPem`/`keyPem` for every name in `names` (exact or `*.` wildcard); `id` groups them for removal. */
  put(id: string, names: string[], certPem: string, keyPem: string): void {
    const ctx = createSecureContext({ cert: certPem, key: keyPem });
    this.remove(id);
    for (const n of names) this.byName.set(n, ctx);
    this.namesOf.set(id, names);
  }

  remove(id: string): void {
    for (const n of this.namesOf.get(id) ?? []) this.byName.delete(n);
    this.namesOf.delete(id);
  }

  setDefault(certPem: string, keyPem: string): void {
    this.fallback = createSecureContext({ cert: certPem, key: keyPem });
  }

  /** Exact name first, then the wildcard one label up, then the default. */
  contextFor(servername: string | undefined): SecureContext | undefined {
    return (servername && this.lookup(servername)) || this.fallback;
  }

  /** The certificate for this name (exact or wildcard), without falling back to the default. */
  lookup(servername: string): SecureContext | undefined {
    {
      const name = servername.toLowerCase();
      const exact = this.byName.get(name);
      if (exact) return exact;
      const dot = name.indexOf('.');
      if (dot > 0) {
        const wild = this.byName.get(`*${name.slice(dot)}`);
        if (wild) return wild;
      }
    }
    return undefined;
  }

  has(name: string): boolean {
    return this.byName.has(name);
  }
}
