import type { Kernel } from '../../kernel/kernel.js';
import { OpError } from '../../kernel/ops/errors.js';
import type { Dns01Solver } from '../challenges.js';

/**
 * DNS-01 through fazt's own DNS server, for names in a zone it hosts
 * (`--set ssl.dns01=builtin`): the TXT record is added to that zone and removed
 * once the CA has looked. Wildcard certificates for self-hosted zones need no outside service.
 */
export class BuiltinDnsSolver implements Dns01Solver {
  readonly name = 'builtin';

  constructor(private readonly kernel: Kernel) {}

  /** The hosted zone holding `fqdn` (the longest that matches) and the name relative to it. */
  private locate(fqdn: string): { zone: string; name: string } {
    const dns = this.kernel.services.dnsServer;
    if (!dns?.listening()) throw new OpError('SSL_PROVISION_FAILED', "DNS-01 with the built-in DNS server needs it running: start the server with --dns-port.");
    const name = fqdn.toLowerCase().replace(/\.$/, '');
    const zone = dns
      .zones()
      .map((z) => z.name)
      .filter((z) => name === z || name.endsWith(`.${z}`))
      .sort((a, b) => b.length - a.length)[0];
    if (!zone) throw new OpError('SSL_PROVISION_FAILED', `No zone on this server holds ${name}: create it with 'fazt dns zones create <zone>' and delegate it here.`);
    return { zone, name: name === zone ? '@' : name.slice(0, -zone.length - 1) };
  }

  async setTxt(fqdn: string, value: string): Promise<void> {
    const { zone, name } = this.locate(fqdn);
    this.kernel.services.dnsServer.add(zone, { name, type: 'TXT', value, ttl: 60 });
  }

  async removeTxt(fqdn: string, value: string): Promise<void> {
    const { zone, name } = this.locate(fqdn);
    this.kernel.services.dnsServer.remove(zone, { name, type: 'TXT', value });
  }
}
