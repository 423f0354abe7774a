import type { Kernel } from '../../kernel/kernel.js';
import type { Dns01Solver } from '../challenges.js';

/**
 * DNS-01 through whichever configured DNS provider hosts the name's zone
 * (Cloudflare, Hetzner, DigitalOcean, or fazt's own server): `--set ssl.dns01=infra`.
 */
export class InfraDnsSolver implements Dns01Solver {
  readonly name = 'infra';

  constructor(private readonly kernel: Kernel) {}

  async setTxt(fqdn: string, value: string): Promise<void> {
    await this.kernel.services.infra.setTxt(fqdn, value);
  }

  async removeTxt(fqdn: string, value: string): Promise<void> {
    await this.kernel.services.infra.removeTxt(fqdn, value);
  }
}
