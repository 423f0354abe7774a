import { loopback, type Loopback, type Received, type Reply, type Route } from './base.js';

/**
 * Cloudflare API v4 as documented for the SDK: envelope {success, errors,
 * messages, result, result_info}; zones and DNS records paged with
 * page/per_page (the SDK reads until an empty page); Registrar domain-check,
 * registrations answered 202 with a workflow polled at registration-status,
 * and cursor pages; Ratelimit / Ratelimit-Policy headers; 429 with Retry-After.
 */
export interface CloudflareFake extends Loopback {
  base: string;
  token: string;
  accountId: string;
  records: any[];
  registrations: any[];
  /** Availability and price per domain for domain-check. */
  prices: Record<string, { registrable: boolean; cost?: string; renewal?: string; reason?: string; tier?: string }>;
  maxPerPage: number;
  workflowPolls: number;
}

export async function cloudflareFake(token = 'cf-test-token-0123456789'): Promise<CloudflareFake> {
  const s = {} as CloudflareFake;
  let nextId = 1;
  const polls = new Map<string, number>();
  const zones = [{ id: 'zone-ex', name: 'example.net', status: 'active' }, { id: 'zone-other', name: 'other.net', status: 'active' }];
  const ok = (result: unknown, extra: Record<string, unknown> = {}, status = 200): Reply => ({ status, body: { success: true, errors: [], messages: [], result, ...extra } });
  const fail = (status: number, code: number, message: string): Reply => ({ status, body: { success: false, errors: [{ code, message }], messages: [], result: null } });
  const page = (r: Received, all: unknown[]): Reply => {
    const per = Math.min(Number(r.query.per_page ?? 100), s.maxPerPage);
    const p = Number(r.query.page ?? 1);
    const items = all.slice((p - 1) * per, p * per);
    return ok(items, { result_info: { page: p, per_page: per, count: items.length, total_count: all.length, total_pages: Math.ceil(all.length / per) } });
  };
  const workflow = (domain: string, state: string) => ({ completed: state === 'succeeded' || state === 'failed', created_at: new Date().toISOString(), updated_at: new Date().toISOString(), state, context: { domain_name: domain }, links: { self: `/accounts/${s.accountId}/registrar/registrations/${domain}/registration-status`, resource: `/accounts/${s.accountId}/registrar/registrations/${domain}` } });
  const A = () => `/client/v4/accounts/${s.accountId}/registrar`;
  const routes = (): Route[] => [
    ['GET', /^\/client\/v4\/zones$/, (r) => page(r, zones.filter((z) => !r.query.name || z.name === r.query.name))],
    ['GET', /^\/client\/v4\/zones\/([^/]+)\/dns_records$/, (r, m) => page(r, s.records.filter((x) => x.zone_id === m[1]))],
    ['POST', /^\/client\/v4\/zones\/([^/]+)\/dns_records$/, (r, m) => {
      if (!zones.some((z) => z.id === m[1])) return fail(404, 7003, 'Could not route to /zones/x/dns_records, perhaps your object identifier is invalid?');
      const rec = { id: `rec${nextId++}`, zone_id: m[1], proxied: false, ...r.body, ...(r.body.data ? { content: `${r.body.data.flags} ${r.body.data.tag} "${r.body.data.value}"` } : {}) };
      s.records.push(rec);
      return ok(rec);
    }],
    ['PUT', /^\/client\/v4\/zones\/([^/]+)\/dns_records\/([^/]+)$/, (r, m) => {
      const rec = s.records.find((x) => x.id === m[2] && x.zone_id === m[1]);
      if (!rec) return fail(404, 81044, 'Record does not exist.');
      for (const k of Object.keys(rec)) if (!['id', 'zone_id'].includes(k)) delete rec[k];
      Object.assign(rec, { proxied: false }, r.body);
      return ok(rec);
    }],
    ['DELETE', /^\/client\/v4\/zones\/([^/]+)\/dns_records\/([^/]+)$/, (_r, m) => {
      const i = s.records.findIndex((x) => x.id === m[2]);
      if (i < 0) return fail(404, 81044, 'Record does not exist.');
      s.records.splice(i, 1);
      return ok({ id: m[2] });
    }],
    ['POST', new RegExp(`^${A()}/domain-check$`), (r) => ok({
      domains: (r.body.domains as string[]).map((d) => {
        const p = s.prices[d] ?? { registrable: false, reason: 'domain_unavailable' };
        return { name: d, registrable: p.registrable, ...(p.registrable ? { tier: p.tier ?? 'standard', pricing: { currency: 'USD', registration_cost: p.cost, renewal_cost: p.renewal ?? p.cost } } : { reason: p.reason }) };
      }),
    })],
    ['POST', new RegExp(`^${A()}/registrations$`), (r) => {
      const d = r.body.domain_name;
      if (!s.prices[d]?.registrable) return fail(400, 1000, 'domain is not available');
      polls.set(d, 0);
      s.registrations.push({ domain_name: d, status: 'registration_pending', auto_renew: r.body.auto_renew ?? false, created_at: new Date().toISOString(), expires_at: '2027-11-29T00:00:00Z' });
      return ok(workflow(d, 'in_progress'), {}, 202);
    }],
    ['GET', new RegExp(`^${A()}/registrations/([^/]+)/registration-status$`), (_r, m) => {
      const n = (polls.get(m[1]) ?? 0) + 1;
      polls.set(m[1], n);
      const done = n >= s.workflowPolls;
      if (done) for (const x of s.registrations) if (x.domain_name === m[1]) x.status = 'active';
      return ok(workflow(m[1], done ? 'succeeded' : 'in_progress'));
    }],
    ['GET', new RegExp(`^${A()}/registrations$`), (r) => {
      const start = r.query.cursor ? Number(r.query.cursor) : 0;
      const items = s.registrations.slice(start, start + s.maxPerPage);
      const next = start + s.maxPerPage < s.registrations.length ? String(start + s.maxPerPage) : '';
      return ok(items, { result_info: { count: items.length, cursor: next } });
    }],
    ['GET', new RegExp(`^${A()}/registrations/([^/]+)$`), (_r, m) => {
      const x = s.registrations.find((y) => y.domain_name === m[1]);
      return x ? ok(x) : fail(404, 1001, 'registration not found');
    }],
  ];
  const lb = await loopback(
    routes,
    () => ({ ratelimit: '"default";r=1150;t=280', 'ratelimit-policy': '"default";q=1200;w=300' }),
    (r) => (r.headers.authorization === `Bearer ${s.token}` ? undefined : fail(403, 10000, 'Authentication error')),
  );
  Object.assign(s, lb, { base: `${lb.url}/client/v4`, token, accountId: 'acc0123456789', records: [], registrations: [], prices: {}, maxPerPage: 100, workflowPolls: 2 });
  return s;
}
