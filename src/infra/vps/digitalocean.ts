import { DigitalOceanApi } from '../digitalocean-api.js';
import type { ProviderContext } from '../hetzner-api.js';
import { destroyAfterFailure } from './cleanup.js';
import type { CreateVpsRequest, VpsProvider, VpsServer, VpsState } from './types.js';

const IMAGE = 'ubuntu-24-04-x64';

function state(s: string): VpsState {
  if (s === 'active') return 'running';
  if (s === 'new') return 'starting';
  if (s === 'off' || s === 'archive') return 'off';
  return 'unknown';
}

function droplet(d: any): VpsServer {
  const v4 = (d.networks?.v4 ?? []).find((n: any) => n.type === 'public');
  const v6 = (d.networks?.v6 ?? []).find((n: any) => n.type === 'public');
  return {
    providerId: String(d.id),
    name: d.name,
    state: state(d.status),
    providerStatus: d.status,
    ipv4: v4?.ip_address ?? null,
    ipv6: v6?.ip_address ?? null,
    type: d.size_slug ?? d.size?.slug ?? '',
    region: d.region?.slug ?? '',
    createdAt: d.created_at ?? null,
  };
}

/** DigitalOcean droplets: one USD price per size, create and reboot actions polled. */
export function digitalOceanVps(ctx: ProviderContext): VpsProvider {
  const api = new DigitalOceanApi(ctx);
  const h = api.http;
  return {
    id: 'digitalocean',
    async types() {
      const sizes = await api.all<any>('/sizes', 'sizes');
      return sizes.filter((s) => s.available !== false).map((s) => ({
        name: s.slug,
        description: s.description ?? '',
        cores: s.vcpus,
        memoryGb: s.memory / 1024,
        diskGb: s.disk,
        prices: { '*': { monthly: Number(s.price_monthly), hourly: Number(s.price_hourly), currency: 'USD' } },
        regions: s.regions ?? [],
      }));
    },
    async regions() {
      const regions = await api.all<any>('/regions', 'regions');
      return regions.filter((r) => r.available !== false).map((r) => ({ name: r.slug, description: r.name, country: null }));
    },
    async list() {
      return (await api.all<any>('/droplets', 'droplets')).map(droplet);
    },
    async get(id) {
      try {
        return droplet((await h.request<any>('GET', `/droplets/${encodeURIComponent(id)}`)).body.droplet);
      } catch (err) {
        if ((err as { details?: { status?: number } }).details?.status === 404) return null;
        throw err;
      }
    },
    async create(req: CreateVpsRequest) {
      req.progress?.(`asking DigitalOcean for ${req.type} in ${req.region}`);
      const r = await h.request<any>('POST', '/droplets', {
        name: req.name,
        region: req.region,
        size: req.type,
        image: IMAGE,
        ssh_keys: req.sshKeys,
        tags: ['fazt'],
        ...(req.userData ? { user_data: req.userData } : {}),
      });
      const created = droplet(r.body.droplet);
      const createAction = (r.body.links?.actions ?? []).find((a: any) => a.rel === 'create');
      await destroyAfterFailure('digitalocean', created.providerId, () => this.destroy(created.providerId), async () => {
        req.progress?.('waiting for the droplet to start');
        await api.waitAction(createAction?.id, 'creating the droplet');
      });
      return (await this.get(created.providerId)) ?? created;
    },
    async reboot(id) {
      const r = await h.request<any>('POST', `/droplets/${encodeURIComponent(id)}/actions`, { type: 'reboot' });
      await api.waitAction(r.body.action?.id, 'rebooting');
    },
    async destroy(id) {
      await h.request('DELETE', `/droplets/${encodeURIComponent(id)}`);
    },
  };
}
