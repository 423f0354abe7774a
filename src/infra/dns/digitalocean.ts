import { DigitalOceanApi } from '../digitalocean-api.js';
import type { ProviderContext } from '../hetzner-api.js';
import { bareHost } from './names.js';
import type { DnsProvider, DnsRecord, RecordInput } from './types.js';

/** DigitalOcean keeps CAA as flags + tag + data, host names absolute with a dot. */
function body(rec: RecordInput): Record<string, unknown> {
  const base = { type: rec.type, name: rec.name, ttl: rec.ttl };
  if (rec.type === 'CAA') {
    const m = /^(\d+) (\w+) "(.*)"$/.exec(rec.value)!;
    return { ...base, flags: Number(m[1]), tag: m[2], data: m[3] };
  }
  if (rec.type === 'MX') return { ...base, data: `${rec.value}.`, priority: rec.priority };
  if (rec.type === 'CNAME' || rec.type === 'NS') return { ...base, data: `${rec.value}.` };
  return { ...base, data: rec.value };
}

function fromApi(r: any): DnsRecord {
  const value = r.type === 'CAA' ? `${r.flags ?? 0} ${r.tag} "${r.data}"` : r.type === 'MX' || r.type === 'CNAME' || r.type === 'NS' ? bareHost(r.data) : r.data;
  return { id: String(r.id), name: r.name, type: r.type, value, ttl: r.ttl, ...(r.type === 'MX' ? { priority: r.priority } : {}) };
}

/** DigitalOcean domains and records: records are individual, so a set is listed then updated. */
export function digitalOceanDns(ctx: ProviderContext): DnsProvider {
  const api = new DigitalOceanApi(ctx);
  const h = api.http;
  const recs = (zone: string) => `/domains/${encodeURIComponent(zone)}/records`;
  const matching = async (zone: string, name: string, type: string) => (await api.all<any>(recs(zone), 'domain_records', { type })).map(fromApi).filter((r) => r.name === name && r.type === type);
  return {
    id: 'digitalocean',
    async zones() {
      return (await api.all<any>('/domains', 'domains')).map((d) => ({ id: d.name, name: d.name, records: null }));
    },
    async records(zone) {
      return (await api.all<any>(recs(zone), 'domain_records')).map(fromApi);
    },
    async set(zone, rec) {
      const cur = await matching(zone, rec.name, rec.type);
      const [first, ...rest] = cur;
      for (const r of rest) await h.request('DELETE', `${recs(zone)}/${r.id}`);
      const r = first ? await h.request<any>('PUT', `${recs(zone)}/${first.id}`, body(rec)) : await h.request<any>('POST', recs(zone), body(rec));
      return fromApi(r.body.domain_record);
    },
    async add(zone, rec) {
      return fromApi((await h.request<any>('POST', recs(zone), body(rec))).body.domain_record);
    },
    async remove(zone, sel) {
      const cur = await matching(zone, sel.name, sel.type);
      const gone = sel.value === undefined ? cur : cur.filter((r) => r.value === (sel.type === 'TXT' || sel.type === 'CAA' ? sel.value : bareHost(sel.value!)));
      for (const r of gone) await h.request('DELETE', `${recs(zone)}/${r.id}`);
      return gone.length;
    },
  };
}
