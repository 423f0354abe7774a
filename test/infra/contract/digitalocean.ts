import { loopback, type Loopback, type Received, type Reply, type Route } from './base.js';

/**
 * DigitalOcean API v2 as documented: bearer auth, lists paginated with
 * page/per_page and links.pages.next (an absolute URL), droplet create answered
 * 202 with links.actions, actions polled at /v2/actions/{id}, errors as
 * {id, message, request_id}, ratelimit-* headers on every answer.
 */
export interface DigitalOceanFake extends Loopback {
  base: string;
  token: string;
  droplets: any[];
  records: any[];
  maxPerPage: number;
  actionPolls: number;
}

const SIZES = [
  { slug: 's-1vcpu-1gb', memory: 1024, vcpus: 1, disk: 25, transfer: 1, price_monthly: 6, price_hourly: 0.00893, regions: ['nyc3', 'fra1'], available: true, description: 'Basic' },
  { slug: 's-1vcpu-2gb', memory: 2048, vcpus: 1, disk: 50, transfer: 2, price_monthly: 12, price_hourly: 0.01786, regions: ['nyc3', 'fra1'], available: true, description: 'Basic' },
  { slug: 's-2vcpu-4gb', memory: 4096, vcpus: 2, disk: 80, transfer: 4, price_monthly: 24, price_hourly: 0.03571, regions: ['fra1'], available: true, description: 'Basic' },
];
const REGIONS = [
  { slug: 'nyc3', name: 'New York 3', sizes: ['s-1vcpu-1gb'], available: true, features: [] },
  { slug: 'fra1', name: 'Frankfurt 1', sizes: ['s-1vcpu-1gb', 's-2vcpu-4gb'], available: true, features: [] },
];

export async function digitalOceanFake(token = 'dop_v1_test_0123456789'): Promise<DigitalOceanFake> {
  const s = {} as DigitalOceanFake;
  let nextId = 3_000_000;
  let remaining = 5000;
  const actions = new Map<number, number>();
  const action = (type: string) => {
    const id = nextId++;
    actions.set(id, 0);
    return { id, status: 'in-progress', type, started_at: new Date().toISOString(), completed_at: null, resource_type: 'droplet' };
  };
  const err = (status: number, id: string, message: string): Reply => ({ status, body: { id, message, request_id: 'req-1' } });
  const page = (r: Received, key: string, all: unknown[]): Reply => {
    const per = Math.min(Number(r.query.per_page ?? 20), s.maxPerPage);
    const p = Number(r.query.page ?? 1);
    const last = Math.max(1, Math.ceil(all.length / per));
    const link = (n: number) => `${s.url}${r.path}?page=${n}&per_page=${per}`;
    return { status: 200, body: { [key]: all.slice((p - 1) * per, p * per), links: { pages: p < last ? { next: link(p + 1), last: link(last) } : {} }, meta: { total: all.length } } };
  };
  const routes = (): Route[] => [
    ['GET', /^\/v2\/sizes$/, (r) => page(r, 'sizes', SIZES)],
    ['GET', /^\/v2\/regions$/, (r) => page(r, 'regions', REGIONS)],
    ['GET', /^\/v2\/droplets$/, (r) => page(r, 'droplets', s.droplets)],
    ['GET', /^\/v2\/droplets\/(\d+)$/, (_r, m) => {
      const d = s.droplets.find((x) => String(x.id) === m[1]);
      return d ? { status: 200, body: { droplet: d } } : err(404, 'not_found', 'The resource you were accessing could not be found.');
    }],
    ['POST', /^\/v2\/droplets$/, (r) => {
      const b = r.body;
      if (!SIZES.some((x) => x.slug === b.size)) return err(422, 'unprocessable_entity', 'You specified an invalid size for Droplet creation.');
      const id = nextId++;
      const d = { id, name: b.name, status: 'new', created_at: new Date().toISOString(), size_slug: b.size, region: { slug: b.region }, networks: { v4: [{ ip_address: '127.0.0.1', type: 'public' }], v6: [] }, tags: b.tags };
      s.droplets.push(d);
      const a = action('create');
      return { status: 202, body: { droplet: d, links: { actions: [{ id: a.id, rel: 'create', href: `${s.url}/v2/actions/${a.id}` }] } } };
    }],
    ['POST', /^\/v2\/droplets\/(\d+)\/actions$/, (r) => (r.body?.type === 'reboot' ? { status: 201, body: { action: action('reboot') } } : err(422, 'unprocessable_entity', 'unknown action type'))],
    ['DELETE', /^\/v2\/droplets\/(\d+)$/, (_r, m) => {
      const i = s.droplets.findIndex((x) => String(x.id) === m[1]);
      if (i < 0) return err(404, 'not_found', 'The resource you were accessing could not be found.');
      s.droplets.splice(i, 1);
      return { status: 204 };
    }],
    ['GET', /^\/v2\/actions\/(\d+)$/, (_r, m) => {
      const polls = (actions.get(Number(m[1])) ?? 0) + 1;
      actions.set(Number(m[1]), polls);
      const done = polls > s.actionPolls;
      if (done) for (const d of s.droplets) d.status = 'active';
      return { status: 200, body: { action: { id: Number(m[1]), status: done ? 'completed' : 'in-progress', type: 'create' } } };
    }],
    ['GET', /^\/v2\/domains$/, (r) => page(r, 'domains', [{ name: 'example.org', ttl: 1800, zone_file: '' }])],
    ['GET', /^\/v2\/domains\/example\.org\/records$/, (r) => page(r, 'domain_records', s.records.filter((x) => !r.query.type || x.type === r.query.type))],
    ['POST', /^\/v2\/domains\/example\.org\/records$/, (r) => {
      const rec = { id: nextId++, ...r.body, priority: r.body.priority ?? null, port: null, weight: null, flags: r.body.flags ?? null, tag: r.body.tag ?? null };
      s.records.push(rec);
      return { status: 201, body: { domain_record: rec } };
    }],
    ['PUT', /^\/v2\/domains\/example\.org\/records\/(\d+)$/, (r, m) => {
      const rec = s.records.find((x) => String(x.id) === m[1]);
      if (!rec) return err(404, 'not_found', 'The resource you were accessing could not be found.');
      Object.assign(rec, r.body);
      return { status: 200, body: { domain_record: rec } };
    }],
    ['DELETE', /^\/v2\/domains\/example\.org\/records\/(\d+)$/, (_r, m) => {
      const i = s.records.findIndex((x) => String(x.id) === m[1]);
      if (i < 0) return err(404, 'not_found', 'The resource you were accessing could not be found.');
      s.records.splice(i, 1);
      return { status: 204 };
    }],
  ];
  const lb = await loopback(
    routes,
    () => ({ 'ratelimit-limit': '5000', 'ratelimit-remaining': String(--remaining), 'ratelimit-reset': String(Math.floor(Date.now() / 1000) + 60) }),
    (r) => (r.headers.authorization === `Bearer ${s.token}` ? undefined : err(401, 'unauthorized', 'Unable to authenticate you.')),
  );
  Object.assign(s, lb, { base: `${lb.url}/v2`, token, droplets: [], records: [], maxPerPage: 200, actionPolls: 1 });
  return s;
}
