import type { Kernel } from '../kernel/kernel.js';
import { OpError, toOpError } from '../kernel/ops/errors.js';
import { callPeer, type PeerAccess } from './peer-client.js';
import { providerInfo, InfraCredentials } from './credentials.js';
import type { InfraKind } from './catalogue.js';
import { RateLimits } from './rate-limits.js';
import { ServersStore, type ServerRecord } from './servers-store.js';
import type { ProviderContext } from './hetzner-api.js';
import { hetznerVps } from './vps/hetzner.js';
import { digitalOceanVps } from './vps/digitalocean.js';
import { LocalHost } from './vps/local.js';
import type { Price, VpsProvider, VpsType } from './vps/types.js';
import { cloudflareDns } from './dns/cloudflare.js';
import { hetznerDns } from './dns/hetzner.js';
import { digitalOceanDns } from './dns/digitalocean.js';
import { builtinDns, builtinRunning } from './dns/builtin.js';
import type { DnsProvider } from './dns/types.js';
import { validRecord, validZoneName } from './dns/validate.js';
import { relative } from './dns/names.js';
import { cloudflareDomains } from './domains/cloudflare.js';
import { porkbunDomains } from './domains/porkbun.js';
import type { DomainCheck, DomainProvider } from './domains/types.js';

const DNS_ZONES_KEY = 'infra.dns.zones';
const PRICES_KEY = 'infra.vps.prices';
const QUOTES_KEY = 'infra.domain.quotes';
export const peerTokenName = (id: string) => `infra.peer.${id}.token`;

/** A server's fazt as seen over HTTP with the token it registered. */
export interface PeerHealth {
  reachable: boolean;
  url: string;
  health?: string;
  summary?: string;
  error?: string;
}

/**
 * Servers, DNS and domains at the owner's providers, and on this machine:
 * provider clients are built per call from sealed credentials, and know nothing of ops.
 */
export class InfraService {
  readonly credentials: InfraCredentials;
  readonly rateLimits = new RateLimits();
  readonly servers: ServersStore;
  readonly local: LocalHost;

  constructor(private readonly kernel: Kernel) {
    this.credentials = new InfraCredentials(kernel);
    this.servers = new ServersStore(kernel.db);
    this.local = new LocalHost(kernel, this.servers);
  }

  private ctx(id: string, kind: InfraKind, signal?: AbortSignal): ProviderContext & { accountId?: string; secret?: string } {
    const o = this.credentials.open(id, kind);
    return { baseUrl: o.baseUrl, token: o.token, rateLimits: this.rateLimits, signal, accountId: o.accountId, secret: o.secret };
  }

  vps(id: string, signal?: AbortSignal): VpsProvider {
    providerInfo(id, 'vps');
    if (id === 'local') return this.local.provider();
    const c = this.ctx(id, 'vps', signal);
    return id === 'hetzner' ? hetznerVps(c) : digitalOceanVps(c);
  }

  dns(id: string, signal?: AbortSignal): DnsProvider {
    providerInfo(id, 'dns');
    if (id === 'builtin') return builtinDns(this.kernel);
    const c = this.ctx(id, 'dns', signal);
    return id === 'cloudflare' ? cloudflareDns(c) : id === 'hetzner' ? hetznerDns(c) : digitalOceanDns(c);
  }

  domains(id: string, signal?: AbortSignal): DomainProvider {
    providerInfo(id, 'domains');
    const c = this.ctx(id, 'domains', signal);
    if (id === 'porkbun') return porkbunDomains({ baseUrl: c.baseUrl, apiKey: c.token, secretKey: c.secret ?? '', rateLimits: this.rateLimits, signal });
    return cloudflareDomains(c);
  }

  /** Providers of a kind that can be used now: configured ones, plus local/builtin when available. */
  usable(kind: InfraKind): string[] {
    const out = this.credentials.list().filter((p) => p.kinds.includes(kind)).map((p) => p.provider);
    if (kind === 'vps') out.push('local');
    if (kind === 'dns' && builtinRunning(this.kernel)) out.push('builtin');
    return [...new Set(out)];
  }

  /** The one provider of a kind when none is named; an error listing the choices when it is ambiguous. */
  choose(kind: InfraKind, id?: string): string {
    if (id) return providerInfo(id, kind).id;
    const u = this.usable(kind).filter((p) => p !== 'local');
    if (u.length === 1) return u[0];
    if (!u.length) throw new OpError('INFRA_NOT_CONFIGURED', `No ${kind} provider is configured: run 'fazt infra providers set --provider <id> --api-token …'.`);
    throw new OpError('BAD_INPUT', `Several ${kind} providers are configured; name one with provider: ${u.join(', ')}.`, { valid: u });
  }

  // --- prices shown in halts: remembered whenever types are listed ---

  rememberTypes(provider: string, types: VpsType[]): void {
    const all = this.kernel.settings.get<Record<string, Record<string, Record<string, Price>>>>(PRICES_KEY, {});
    all[provider] = Object.fromEntries(types.map((t) => [t.name, t.prices]));
    this.kernel.settings.set(PRICES_KEY, all);
  }

  knownPrice(provider: string, type: string, region: string): Price | undefined {
    if (provider === 'local') return { monthly: 0, hourly: 0, currency: 'USD' };
    const p = this.kernel.settings.get<Record<string, Record<string, Record<string, Price>>>>(PRICES_KEY, {})[provider]?.[type];
    return p?.[region] ?? p?.['*'];
  }

  rememberQuote(provider: string, q: DomainCheck): void {
    const all = this.kernel.settings.get<Record<string, DomainCheck & { at: string }>>(QUOTES_KEY, {});
    all[`${provider}:${q.domain}`] = { ...q, at: new Date().toISOString() };
    this.kernel.settings.set(QUOTES_KEY, all);
  }

  knownQuote(provider: string, domain: string): (DomainCheck & { at: string }) | undefined {
    return this.kernel.settings.get<Record<string, DomainCheck & { at: string }>>(QUOTES_KEY, {})[`${provider}:${domain}`];
  }

  // --- peers ---

  /** A server's fazt URL and the token it gave this node; the reason when there is none. */
  private peerAccess(rec: ServerRecord): PeerAccess | { url: string | null; error: string } {
    const url = rec.provider === 'local' ? (this.local.urlOf(rec.name) ?? rec.peerUrl) : rec.peerUrl;
    if (!url) return { url, error: rec.provider === 'local' ? 'not running' : 'its fazt has not registered yet (it installs on first boot, a few minutes)' };
    let token: string | undefined;
    try {
      token = this.kernel.services.secrets.get(peerTokenName(rec.id));
    } catch {
      return { url, error: 'the peer token cannot be read' };
    }
    return token ? { url, token } : { url, error: 'no peer token registered' };
  }

  async peerHealth(rec: ServerRecord): Promise<PeerHealth | null> {
    const access = this.peerAccess(rec);
    if (!access.url) return null;
    if ('error' in access) return { reachable: false, url: access.url, error: access.error };
    try {
      const body = (await callPeer(rec.name, access, 'pulse.status', {}, AbortSignal.timeout(10_000))) as { health?: string; summary?: string };
      return { reachable: true, url: access.url, health: body.health, summary: body.summary };
    } catch (err) {
      const e = toOpError(err);
      return { reachable: e.code !== 'UNAVAILABLE' && e.code !== 'INFRA_CANCELED', url: access.url, error: e.message };
    }
  }

  /** Runs an op on a server's fazt; a local server stopped with this node is started first. */
  async callPeer(rec: ServerRecord, op: string, input: unknown, signal?: AbortSignal): Promise<unknown> {
    if (rec.provider === 'local') await this.local.start(rec.name);
    const access = this.peerAccess(rec);
    if ('error' in access) throw new OpError('UNAVAILABLE', `Cannot call the fazt on ${rec.name}: ${access.error}.`, { server: rec.id });
    return callPeer(rec.name, access, op, input, signal);
  }

  // --- DNS helper for ACME DNS-01 and the launch ---

  /** Zones this node can change, per provider; the built-in server's and each configured provider's. */
  private dnsZoneMap(): Record<string, string> {
    return this.kernel.settings.get<Record<string, string>>(DNS_ZONES_KEY, {});
  }

  /** Remembers which provider serves a zone (learned from infra.dns.zones and infra.dns.set). */
  rememberZone(zone: string, provider: string): void {
    this.kernel.settings.set(DNS_ZONES_KEY, { ...this.dnsZoneMap(), [zone]: provider });
  }

  /**
   * Which provider and zone hold a name: the longest known zone that is a suffix
   * of it; unknown zones are looked up at every usable DNS provider.
   */
  async dnsFor(domain: string, signal?: AbortSignal): Promise<{ provider: string; zone: string; name: string }> {
    const d = domain.replace(/\.$/, '').toLowerCase();
    const pick = (map: Record<string, string>) => {
      const z = Object.keys(map).filter((z) => d === z || d.endsWith('.' + z)).sort((a, b) => b.length - a.length)[0];
      return z ? { provider: map[z], zone: z, name: relative(d, z) } : undefined;
    };
    const known = pick(this.dnsZoneMap());
    if (known) return known;
    for (const p of this.usable('dns')) {
      try {
        for (const z of await this.dns(p, signal).zones()) this.rememberZone(z.name, p);
      } catch {
        /* a provider that cannot list zones now just does not answer */
      }
    }
    const found = pick(this.dnsZoneMap());
    if (!found) throw new OpError('NOT_FOUND', `No configured DNS provider serves a zone for '${domain}'.`);
    return found;
  }

  /** Adds a TXT value at a full name (ACME DNS-01: _acme-challenge.<domain>). */
  async setTxt(fqdnName: string, value: string, signal?: AbortSignal): Promise<{ provider: string; zone: string; name: string }> {
    const at = await this.dnsFor(fqdnName, signal);
    await this.dns(at.provider, signal).add(validZoneName(at.zone), validRecord({ name: at.name, type: 'TXT', value, ttl: 60 }));
    return at;
  }

  async removeTxt(fqdnName: string, value: string, signal?: AbortSignal): Promise<number> {
    const at = await this.dnsFor(fqdnName, signal);
    return this.dns(at.provider, signal).remove(at.zone, { name: at.name, type: 'TXT', value });
  }
}
