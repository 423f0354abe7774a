import { loopback, type Loopback, type Received, type Reply, type Route } from './base.js';

/**
 * Hetzner Cloud API v1 as documented: bearer auth, lists paginated with
 * page/per_page and meta.pagination.next_page, long work as actions that run
 * before they succeed, errors as {error:{code,message,details}}, and
 * RateLimit-Limit / RateLimit-Remaining / RateLimit-Reset on every answer.
 */
export interface HetznerFake extends Loopback {
  base: string;
  token: string;
  servers: any[];
  rrsets: Map<string, any[]>;
  /** Polls an action answers 'running' before 'success'. */
  actionPolls: number;
  /** The next created server's create action ends in error. */
  failCreateAction: boolean;
  /** The server caps per_page at this, as the API caps it at 50. */
  maxPerPage: number;
  /** Server types with their prices (a test may change a price). */
  types: typeof TYPES;
}

const TYPES = [
  { id: 1, name: 'cx22', description: 'CX22', cores: 2, memory: 4, disk: 40, deprecated: false, prices: [{ location: 'fsn1', price_hourly: { net: '0.0060', gross: '0.0071' }, price_monthly: { net: '3.79', gross: '4.51' } }, { location: 'nbg1', price_hourly: { net: '0.0060', gross: '0.0071' }, price_monthly: { net: '3.79', gross: '4.51' } }] },
  { id: 2, name: 'cx32', description: 'CX32', cores: 4, memory: 8, disk: 80, deprecated: false, prices: [{ location: 'fsn1', price_hourly: { net: '0.0110', gross: '0.0131' }, price_monthly: { net: '6.80', gross: '8.09' } }] },
  { id: 3, name: 'cpx11', description: 'CPX11', cores: 2, memory: 2, disk: 40, deprecated: false, prices: [{ location: 'hel1', price_hourly: { net: '0.0070', gross: '0.0083' }, price_monthly: { net: '4.35', gross: '5.18' } }] },
  { id: 4, name: 'cx11', description: 'CX11 (old)', cores: 1, memory: 2, disk: 20, deprecated: true, prices: [] },
];
const LOCATIONS = [
  { id: 1, name: 'fsn1', description: 'Falkenstein DC Park 1', city: 'Falkenstein', country: 'DE', network_zone: 'eu-central' },
  { id: 2, name: 'nbg1', description: 'Nuremberg DC Park 1', city: 'Nuremberg', country: 'DE', network_zone: 'eu-central' },
  { id: 3, name: 'hel1', description: 'Helsinki DC Park 1', city: 'Helsinki', country: 'FI', network_zone: 'eu-central' },
];

export async function hetznerFake(token = 'hz-test-token-0123456789'): Promise<HetznerFake> {
  const s = { types: structuredClone(TYPES) } as HetznerFake;
  let nextId = 4700;
  let remaining = 3600;
  const actions = new Map<number, { polls: number; fail: boolean; command: string }>();
  const action = (command: string, fail = false) => {
    const id = nextId++;
    actions.set(id, { polls: 0, fail, command });
    return { id, command, status: 'running', progress: 0, started: new Date().toISOString(), finished: null, error: null };
  };
  const err = (status: number, code: string, message: string): Reply => ({ status, body: { error: { code, message, details: {} } } });
  const authed = (r: Received) => r.headers.authorization === `Bearer ${s.token}`;
  const page = (r: Received, key: string, all: unknown[]): Reply => {
    const per = Math.min(Number(r.query.per_page ?? 25), s.maxPerPage);
    const p = Number(r.query.page ?? 1);
    const last = Math.max(1, Math.ceil(all.length / per));
    return { status: 200, body: { [key]: all.slice((p - 1) * per, p * per), meta: { pagination: { page: p, per_page: per, previous_page: p > 1 ? p - 1 : null, next_page: p < last ? p + 1 : null, last_page: last, total_entries: all.length } } } };
  };
  const zones = [{ id: 9001, name: 'example.com', mode: 'primary', ttl: 3600, record_count: 0 }];
  const rrsetsOf = (zone: string) => {
    const z = zones.find((x) => x.name === zone || String(x.id) === zone);
    return z ? s.rrsets.get(z.name)! : undefined;
  };
  const routes = (): Route[] => [
    ['GET', /^\/v1\/server_types$/, (r) => page(r, 'server_types', s.types)],
    ['GET', /^\/v1\/locations$/, (r) => page(r, 'locations', LOCATIONS)],
    ['GET', /^\/v1\/servers$/, (r) => page(r, 'servers', s.servers)],
    ['GET', /^\/v1\/servers\/(\d+)$/, (_r, m) => {
      const sv = s.servers.find((x) => String(x.id) === m[1]);
      return sv ? { status: 200, body: { server: sv } } : err(404, 'not_found', 'server not found');
    }],
    ['POST', /^\/v1\/servers$/, (r) => {
      const b = r.body;
      if (!TYPES.some((t) => t.name === b.server_type)) return err(400, 'invalid_input', 'invalid server type');
      if (s.servers.some((x) => x.name === b.name)) return err(409, 'uniqueness_error', 'server name is already used');
      const id = nextId++;
      const sv = { id, name: b.name, status: 'initializing', created: new Date().toISOString(), public_net: { ipv4: { ip: '127.0.0.1' }, ipv6: { ip: '2001:db8::/64' } }, server_type: { name: b.server_type }, datacenter: { location: { name: b.location } }, labels: b.labels ?? {} };
      s.servers.push(sv);
      const a = action('create_server', s.failCreateAction);
      s.failCreateAction = false;
      return { status: 201, body: { server: sv, action: a, next_actions: [action('start_server')], root_password: null } };
    }],
    ['POST', /^\/v1\/servers\/(\d+)\/actions\/reboot$/, () => ({ status: 201, body: { action: action('reboot_server') } })],
    ['DELETE', /^\/v1\/servers\/(\d+)$/, (_r, m) => {
      const i = s.servers.findIndex((x) => String(x.id) === m[1]);
      if (i < 0) return err(404, 'not_found', 'server not found');
      s.servers.splice(i, 1);
      return { status: 200, body: { action: action('delete_server') } };
    }],
    ['GET', /^\/v1\/actions\/(\d+)$/, (_r, m) => {
      const a = actions.get(Number(m[1]));
      if (!a) return err(404, 'not_found', 'action not found');
      a.polls++;
      const done = a.polls > s.actionPolls;
      // A server whose create action finished is running.
      if (done && !a.fail && a.command === 'start_server') for (const sv of s.servers) sv.status = 'running';
      const status = done ? (a.fail ? 'error' : 'success') : 'running';
      return { status: 200, body: { action: { id: Number(m[1]), command: a.command, status, progress: done ? 100 : 50, error: status === 'error' ? { code: 'action_failed', message: 'server could not be placed' } : null } } };
    }],
    ['GET', /^\/v1\/zones$/, (r) => page(r, 'zones', zones.map((z) => ({ ...z, record_count: s.rrsets.get(z.name)!.length })))],
    ['GET', /^\/v1\/zones\/([^/]+)\/rrsets$/, (r, m) => {
      const sets = rrsetsOf(decodeURIComponent(m[1]));
      return sets ? page(r, 'rrsets', sets) : err(404, 'not_found', 'zone not found');
    }],
    ['GET', /^\/v1\/zones\/([^/]+)\/rrsets\/([^/]+)\/([A-Z]+)$/, (_r, m) => {
      const set = rrsetsOf(decodeURIComponent(m[1]))?.find((x) => x.name === decodeURIComponent(m[2]) && x.type === m[3]);
      return set ? { status: 200, body: { rrset: set } } : err(404, 'not_found', 'rrset not found');
    }],
    ['POST', /^\/v1\/zones\/([^/]+)\/rrsets$/, (r, m) => {
      const sets = rrsetsOf(decodeURIComponent(m[1]));
      if (!sets) return err(404, 'not_found', 'zone not found');
      if (sets.some((x) => x.name === r.body.name && x.type === r.body.type)) return err(409, 'uniqueness_error', 'rrset exists');
      const set = { id: `${r.body.name}/${r.body.type}`, name: r.body.name, type: r.body.type, ttl: r.body.ttl ?? null, records: [...r.body.records] };
      sets.push(set);
      return { status: 201, body: { rrset: set, action: action('create_rrset') } };
    }],
    ['POST', /^\/v1\/zones\/([^/]+)\/rrsets\/([^/]+)\/([A-Z]+)\/actions\/(set_records|add_records|remove_records|change_ttl)$/, (r, m) => {
      const set = rrsetsOf(decodeURIComponent(m[1]))?.find((x) => x.name === decodeURIComponent(m[2]) && x.type === m[3]);
      if (!set) return err(404, 'not_found', 'rrset not found');
      if (m[4] === 'set_records') set.records = [...r.body.records];
      if (m[4] === 'add_records') set.records.push(...r.body.records);
      if (m[4] === 'remove_records') set.records = set.records.filter((x: any) => !r.body.records.some((y: any) => y.value === x.value));
      if (m[4] === 'change_ttl') set.ttl = r.body.ttl;
      return { status: 201, body: { action: action(m[4]) } };
    }],
    ['DELETE', /^\/v1\/zones\/([^/]+)\/rrsets\/([^/]+)\/([A-Z]+)$/, (_r, m) => {
      const sets = rrsetsOf(decodeURIComponent(m[1]));
      const i = sets?.findIndex((x) => x.name === decodeURIComponent(m[2]) && x.type === m[3]) ?? -1;
      if (i < 0) return err(404, 'not_found', 'rrset not found');
      sets!.splice(i, 1);
      return { status: 201, body: { action: action('delete_rrset') } };
    }],
  ];
  const lb = await loopback(
    routes,
    () => ({ 'ratelimit-limit': '3600', 'ratelimit-remaining': String(--remaining), 'ratelimit-reset': String(Math.floor(Date.now() / 1000) + 3600) }),
    (r) => (authed(r) ? undefined : err(401, 'unauthorized', 'unable to authenticate')),
  );
  Object.assign(s, lb, { base: `${lb.url}/v1`, token, servers: [], rrsets: new Map([['example.com', []]]), actionPolls: 1, failCreateAction: false, maxPerPage: 50 });
  return s;
}
