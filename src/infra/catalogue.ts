export type InfraKind = 'vps' | 'dns' | 'domains';

export interface ProviderInfo {
  id: string;
  title: string;
  kinds: InfraKind[];
  /** Real API root; a base URL set with infra.providers.set replaces it (a proxy, or a test server). */
  defaultBaseUrl?: string;
  needsToken: boolean;
  /** Porkbun signs with a key pair: token is the API key, secret the secret key. */
  needsSecret?: boolean;
  /** Cloudflare's registrar works per account. */
  usesAccountId?: boolean;
}

export const INFRA_PROVIDERS: ProviderInfo[] = [
  { id: 'hetzner', title: 'Hetzner Cloud', kinds: ['vps', 'dns'], defaultBaseUrl: 'https://api.hetzner.cloud/v1', needsToken: true },
  { id: 'digitalocean', title: 'DigitalOcean', kinds: ['vps', 'dns'], defaultBaseUrl: 'https://api.digitalocean.com/v2', needsToken: true },
  { id: 'cloudflare', title: 'Cloudflare', kinds: ['dns', 'domains'], defaultBaseUrl: 'https://api.cloudflare.com/client/v4', needsToken: true, usesAccountId: true },
  { id: 'porkbun', title: 'Porkbun', kinds: ['domains'], defaultBaseUrl: 'https://api.porkbun.com/api/json/v3', needsToken: true, needsSecret: true },
  { id: 'local', title: 'Local (child fazt processes on this machine)', kinds: ['vps'], needsToken: false },
  { id: 'builtin', title: "fazt's own DNS server", kinds: ['dns'], needsToken: false },
];

export const INFRA_PROVIDER_IDS = INFRA_PROVIDERS.map((p) => p.id) as [string, ...string[]];

export function providersOf(kind: InfraKind): string[] {
  return INFRA_PROVIDERS.filter((p) => p.kinds.includes(kind)).map((p) => p.id);
}
