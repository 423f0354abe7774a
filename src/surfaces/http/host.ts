import { isIP } from 'node:net';
import type { RouteInfo } from '../../kernel/kernel.js';

/**
 * Maps a Host header to what serves it: the bare domain, an IP or localhost is the
 * kernel host (root app + API); admin.<domain> is the kernel host (admin app + API);
 * <slug>.<domain> is that app; anything else is unknown (served the 404 app).
 */
export function classifyHost(hostHeader: string | undefined, domain: string): Pick<RouteInfo, 'hostKind' | 'slug'> {
  const host = stripPort((hostHeader ?? '').toLowerCase());
  if (!host || host === domain || host === 'localhost' || isIP(host.replace(/^\[|\]$/g, ''))) return { hostKind: 'kernel', slug: 'root' };
  if (host === `admin.${domain}`) return { hostKind: 'kernel', slug: 'admin' };
  const suffix = `.${domain}`;
  if (host.endsWith(suffix)) return { hostKind: 'app', slug: host.slice(0, -suffix.length) };
  if (domain !== 'localhost' && host.endsWith('.localhost')) return { hostKind: 'app', slug: host.slice(0, -'.localhost'.length) };
  return { hostKind: 'app', slug: '' };
}

function stripPort(host: string): string {
  if (host.startsWith('[')) return host.slice(0, host.indexOf(']') + 1);
  const i = host.lastIndexOf(':');
  return i === -1 ? host : host.slice(0, i);
}

/** Custom domains that name an app outside the server's own domain. */
export interface CustomHosts {
  /** Changes whenever the set of custom domains does. */
  readonly generation: number;
  slugFor(host: string): string | undefined;
}

/** Browsers send the same few Host headers over and over: classify each once. */
export class HostCache {
  private readonly seen = new Map<string, Pick<RouteInfo, 'hostKind' | 'slug'>>();
  private generation = -1;
  /** The last answer: consecutive requests mostly carry the same Host. */
  private lastKey: string | undefined;
  private lastHit: Pick<RouteInfo, 'hostKind' | 'slug'> | undefined;

  constructor(
    private readonly domain: string,
    private readonly custom?: () => CustomHosts | undefined,
  ) {}

  classify(hostHeader: string | undefined): Pick<RouteInfo, 'hostKind' | 'slug'> {
    const key = hostHeader ?? '';
    const custom = this.custom?.();
    if (custom && custom.generation !== this.generation) (this.seen.clear(), (this.generation = custom.generation), (this.lastKey = undefined));
    if (key === this.lastKey) return this.lastHit!;
    let hit = this.seen.get(key);
    if (hit === undefined) {
      const slug = custom?.slugFor(stripPort(key.toLowerCase()).replace(/\.$/, ''));
      hit = slug !== undefined ? { hostKind: 'app', slug } : classifyHost(hostHeader, this.domain);
      // Bounded: a client inventing Host headers cannot grow it without limit.
      if (this.seen.size >= 1000) this.seen.clear();
      this.seen.set(key, hit);
    }
    this.lastKey = key;
    this.lastHit = hit;
    return hit;
  }
}
