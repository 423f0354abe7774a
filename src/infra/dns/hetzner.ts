import { HetznerApi, type ProviderContext } from '../hetzner-api.js';
import { bareHost } from './names.js';
import type { DnsProvider, DnsRecord, RecordInput } from './types.js';
import { quoteTxt, unquoteTxt } from './validate.js';

/** Values as the Cloud API stores them: TXT quoted, MX as "priority host.", host names absolute. */
function wire(rec: RecordInput): string {
  if (rec.type === 'TXT') return quoteTxt(rec.value);
  if (rec.type === 'MX') return `${rec.priority} ${rec.value}.`;
  if (rec.type === 'CNAME' || rec.type === 'NS') return `${rec.value}.`;
  return rec.value;
}

function fromWire(type: string, value: string): { value: string; priority?: number } {
  if (type === 'TXT') return { value: unquoteTxt(value) };
  if (type === 'MX') {
    const [p, host] = value.split(/\s+/);
    return { value: bareHost(host ?? ''), priority: Number(p) };
  }
  if (type === 'CNAME' || type === 'NS') return { value: bareHost(value) };
  return { value };
}

/** Hetzner DNS through the Cloud API's zones and RRSets (the old DNS console API is being retired). */
export function hetznerDns(ctx: ProviderContext): DnsProvider {
  const api = new HetznerApi(ctx);
  const h = api.http;
  const z = (zone: string) => `/zones/${encodeURIComponent(zone)}`;
  const rr = (zone: string, name: string, type: string) => `${z(zone)}/rrsets/${encodeURIComponent(name)}/${type}`;
  const existing = async (zone: string, name: string, type: string): Promise<any | null> => {
    try {
      return (await h.request<any>('GET', rr(zone, name, type))).body.rrset;
    } catch (err) {
      if ((err as { details?: { status?: number } }).details?.status === 404) return null;
      throw err;
    }
  };
  const record = (rec: RecordInput): DnsRecord => ({ id: `${rec.name}/${rec.type}/${wire(rec)}`, name: rec.name, type: rec.type, value: rec.value, ttl: rec.ttl, ...(rec.priority !== undefined ? { priority: rec.priority } : {}) });
  return {
    id: 'hetzner',
    async zones() {
      return (await api.all<any>('/zones', 'zones')).map((x) => ({ id: String(x.id), name: x.name, records: x.record_count ?? null }));
    },
    async records(zone) {
      const sets = await api.all<any>(`${z(zone)}/rrsets`, 'rrsets');
      return sets.flatMap((s) =>
        (s.records ?? []).map((r: any) => ({ id: `${s.name}/${s.type}/${r.value}`, name: s.name, type: s.type, ttl: s.ttl ?? null, ...fromWire(s.type, r.value) })),
      );
    },
    async set(zone, rec) {
      const cur = await existing(zone, rec.name, rec.type);
      if (!cur) {
        const r = await h.request<any>('POST', `${z(zone)}/rrsets`, { name: rec.name, type: rec.type, ttl: rec.ttl, records: [{ value: wire(rec) }] });
        await api.waitAction(r.body.action, 'creating the record set');
        return record(rec);
      }
      const r = await h.request<any>('POST', `${rr(zone, rec.name, rec.type)}/actions/set_records`, { records: [{ value: wire(rec) }] });
      await api.waitAction(r.body.action, 'setting the records');
      if (cur.ttl !== rec.ttl) {
        const t = await h.request<any>('POST', `${rr(zone, rec.name, rec.type)}/actions/change_ttl`, { ttl: rec.ttl });
        await api.waitAction(t.body.action, 'changing the TTL');
      }
      return record(rec);
    },
    async add(zone, rec) {
      const cur = await existing(zone, rec.name, rec.type);
      const r = cur
        ? await h.request<any>('POST', `${rr(zone, rec.name, rec.type)}/actions/add_records`, { ttl: rec.ttl, records: [{ value: wire(rec) }] })
        : await h.request<any>('POST', `${z(zone)}/rrsets`, { name: rec.name, type: rec.type, ttl: rec.ttl, records: [{ value: wire(rec) }] });
      await api.waitAction(r.body.action, 'adding the record');
      return record(rec);
    },
    async remove(zone, sel) {
      const cur = await existing(zone, sel.name, sel.type);
      if (!cur) return 0;
      const values: string[] = (cur.records ?? []).map((r: any) => r.value);
      const gone = sel.value === undefined ? values : values.filter((v) => fromWire(sel.type, v).value === (sel.type === 'TXT' ? sel.value : bareHost(sel.value!)) || v === sel.value);
      if (!gone.length) return 0;
      const r = gone.length === values.length
        ? await h.request<any>('DELETE', rr(zone, sel.name, sel.type))
        : await h.request<any>('POST', `${rr(zone, sel.name, sel.type)}/actions/remove_records`, { records: gone.map((value) => ({ value })) });
      await api.waitAction(r.body?.action, 'removing records');
      return gone.length;
    },
  };
}
