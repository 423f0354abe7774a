import { HetznerApi, type ProviderContext } from '../hetzner-api.js';
import { destroyAfterFailure } from './cleanup.js';
import type { CreateVpsRequest, VpsProvider, VpsServer, VpsState, VpsType } from './types.js';

const IMAGE = 'ubuntu-24.04';

function state(s: string): VpsState {
  if (s === 'running') return 'running';
  if (s === 'initializing' || s === 'starting' || s === 'rebuilding' || s === 'migrating') return 'starting';
  if (s === 'off') return 'off';
  if (s === 'stopping') return 'stopping';
  if (s === 'deleting') return 'deleting';
  return 'unknown';
}

function server(s: any): VpsServer {
  return {
    providerId: String(s.id),
    name: s.name,
    state: state(s.status),
    providerStatus: s.status,
    ipv4: s.public_net?.ipv4?.ip ?? null,
    ipv6: s.public_net?.ipv6?.ip ?? null,
    type: s.server_type?.name ?? '',
    region: s.datacenter?.location?.name ?? s.location?.name ?? '',
    createdAt: s.created ?? null,
  };
}

/** Hetzner Cloud servers: per-location prices in EUR, actions polled to completion, cloud-init as user_data. */
export function hetznerVps(ctx: ProviderContext): VpsProvider {
  const api = new HetznerApi(ctx);
  const h = api.http;
  return {
    id: 'hetzner',
    async types() {
      const list = await api.all<any>('/server_types', 'server_types');
      return list.filter((t) => !t.deprecated && !t.deprecation).map((t): VpsType => {
        const prices: VpsType['prices'] = {};
        for (const p of t.prices ?? []) {
          prices[p.location] = { monthly: Number(p.price_monthly?.gross ?? p.price_monthly?.net), hourly: Number(p.price_hourly?.gross ?? p.price_hourly?.net), currency: 'EUR' };
        }
        return { name: t.name, description: t.description ?? '', cores: t.cores, memoryGb: t.memory, diskGb: t.disk, prices, regions: Object.keys(prices) };
      });
    },
    async regions() {
      const list = await api.all<any>('/locations', 'locations');
      return list.map((l) => ({ name: l.name, description: `${l.city ?? l.description}`, country: l.country ?? null }));
    },
    async list() {
      return (await api.all<any>('/servers', 'servers')).map(server);
    },
    async get(id) {
      try {
        return server((await h.request<any>('GET', `/servers/${encodeURIComponent(id)}`)).body.server);
      } catch (err) {
        if ((err as { details?: { status?: number } }).details?.status === 404) return null;
        throw err;
      }
    },
    async create(req: CreateVpsRequest) {
      req.progress?.(`asking Hetzner for ${req.type} in ${req.region}`);
      const r = await h.request<any>('POST', '/servers', {
        name: req.name,
        server_type: req.type,
        location: req.region,
        image: IMAGE,
        ssh_keys: req.sshKeys,
        start_after_create: true,
        labels: { 'managed-by': 'fazt' },
        ...(req.userData ? { user_data: req.userData } : {}),
      });
      const created = server(r.body.server);
      // A server that exists but did not come up is deleted, so nothing stays billed.
      await destroyAfterFailure('hetzner', created.providerId, () => this.destroy(created.providerId), async () => {
        req.progress?.('waiting for the server to start');
        await api.waitAction(r.body.action, 'creating the server');
        for (const a of r.body.next_actions ?? []) await api.waitAction(a, `server ${a.command ?? 'action'}`);
      });
      return (await this.get(created.providerId)) ?? created;
    },
    async reboot(id) {
      const r = await h.request<any>('POST', `/servers/${encodeURIComponent(id)}/actions/reboot`);
      await api.waitAction(r.body.action, 'rebooting');
    },
    async destroy(id) {
      const r = await h.request<any>('DELETE', `/servers/${encodeURIComponent(id)}`);
      await api.waitAction(r.body?.action, 'deleting the server');
    },
  };
}
