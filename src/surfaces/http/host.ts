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
