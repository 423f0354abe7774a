import type { Dns01Solver } from '../challenges.js';

/**
 * DNS-01 through pebble-challtestsrv's management API (`/set-txt`, `/clear-txt`):
 * the DNS server ACME test setups resolve through. Configured with
 * `--set ssl.dns01=challtestsrv:http://127.0.0.1:8055`.
 */
export class ChalltestsrvSolver implements Dns01Solver {
  readonly name = 'challtestsrv';

  constructor(private readonly baseUrl: string) {}

  async setTxt(fqdn: string, value: string): Promise<void> {
    await this.post('/set-txt', { host: `${fqdn}.`, value });
  }

  async removeTxt(fqdn: string): Promise<void> {
    await this.post('/clear-txt', { host: `${fqdn}.` });
  }

  private async post(path: string, body: unknown): Promise<void> {
    const res = await fetch(new URL(path, this.baseUrl), { method: 'POST', body: JSON.stringify(body) });
    if (!res.ok) throw new Error(`challtestsrv ${path} answered ${res.status}: ${(await res.text()).slice(0, 200)}`);
  }
}
