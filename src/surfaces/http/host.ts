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

/** Browsers send the same few Host headers over and over: classify each once. */
export class HostCache {
  private readonly seen = new Map<string, Pick<RouteInfo, 'hostKind' | 'slug'>>();

  constructor(private readonly domain: string) {}

  classify(hostHeader: string | undefined): Pick<RouteInfo, 'hostKind' | 'slug'> {
    const key = hostHeader ?? '';
    let hit = this.seen.get(key);
    if (hit === undefined) {
      hit = classifyHost(hostHeader, this.domain);
      // Bounded: a client inventing Host headers cannot grow it without limit.
      if (this.seen.size >= 1000) this.seen.clear();
      this.seen.set(key, hit);
    }
    return hit;
  }
}
