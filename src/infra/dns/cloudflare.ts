import { cf, cloudflareClient } from '../cloudflare-api.js';
import { OpError } from '../../kernel/ops/errors.js';
import type { ProviderContext } from '../hetzner-api.js';
import { bareHost, fqdn, relative } from './names.js';
import type { DnsProvider, DnsRecord, RecordInput } from './types.js';

/** Cloudflare DNS through the official SDK; records carry full names, so fazt's relative names are translated. */
export function cloudflareDns(ctx: ProviderContext): DnsProvider {
  const client = cloudflareClient(ctx);
  const zoneIds = new Map<string, string>();
  const zoneId = async (zone: string): Promise<string> => {
    const known = zoneIds.get(zone);
    if (known) return known;
    const found: { id: string; name: string }[] = [];
    await cf(ctx, async () => {
      for await (const z of client.zones.list({ name: zone })) found.push(z);
    });
    const z = found.find((x) => x.name === zone);
    if (!z) throw new OpError('NOT_FOUND', `Cloudflare has no zone '${zone}' in this account.`);
    zoneIds.set(zone, z.id);
    return z.id;
  };
  const view = (zone: string, r: any): DnsRecord => {
    const host = r.type === 'MX' || r.type === 'CNAME' || r.type === 'NS';
    const value = r.type === 'TXT' ? String(r.content).replace(/^"(.*)"$/s, '$1') : host ? bareHost(r.content) : r.content;
    return { id: r.id, name: relative(r.name, zone), type: r.type, value, ttl: r.ttl, ...(r.type === 'MX' ? { priority: r.priority } : {}), ...(r.proxied !== undefined ? { proxied: r.proxied } : {}) };
  };
  const params = (zone: string, rec: RecordInput) => {
    const base: Record<string, unknown> = { name: fqdn(rec.name, zone), type: rec.type, ttl: rec.ttl };
    if (rec.type === 'CAA') {
      const m = /^(\d+) (\w+) "(.*)"$/.exec(rec.value)!;
      return { ...base, data: { flags: Number(m[1]), tag: m[2], value: m[3] } };
    }
    if (rec.type === 'MX') return { ...base, content: rec.value, priority: rec.priority };
    if (rec.type === 'A' || rec.type === 'AAAA' || rec.type === 'CNAME') return { ...base, content: rec.value, ...(rec.proxied !== undefined ? { proxied: rec.proxied } : {}) };
    return { ...base, content: rec.value };
  };
  const all = async (zone: string): Promise<any[]> => {
    const id = await zoneId(zone);
    const out: any[] = [];
    await cf(ctx, async () => {
      out.length = 0;
      for await (const r of client.dns.records.list({ zone_id: id })) out.push(r);
    });
    return out;
  };
  const matching = async (zone: string, name: string, type: string) => (await all(zone)).filter((r) => r.type === type && relative(r.name, zone) === name);
  return {
    id: 'cloudflare',
    async zones() {
      const out: { id: string; name: string; records: null }[] = [];
      await cf(ctx, async () => {
        out.length = 0;
        for await (const z of client.zones.list()) out.push({ id: z.id, name: z.name, records: null });
      });
      return out;
    },
    async records(zone) {
      return (await all(zone)).map((r) => view(zone, r));
    },
    async set(zone, rec) {
      const id = await zoneId(zone);
      const [first, ...rest] = await matching(zone, rec.name, rec.type);
      for (const r of rest) await cf(ctx, () => client.dns.records.delete(r.id, { zone_id: id }));
      const p = { zone_id: id, ...params(zone, rec) } as any;
      const r = first ? await cf(ctx, () => client.dns.records.update(first.id, p)) : await cf(ctx, () => client.dns.records.create(p));
      return view(zone, r);
    },
    async add(zone, rec) {
      const id = await zoneId(zone);
      return view(zone, await cf(ctx, () => client.dns.records.create({ zone_id: id, ...params(zone, rec) } as any)));
    },
    async remove(zone, sel) {
      const id = await zoneId(zone);
      const cur = (await matching(zone, sel.name, sel.type)).map((r) => view(zone, r));
      const gone = sel.value === undefined ? cur : cur.filter((r) => r.value === (sel.type === 'TXT' || sel.type === 'CAA' ? sel.value : bareHost(sel.value!)));
      for (const r of gone) await cf(ctx, () => client.dns.records.delete(r.id, { zone_id: id }));
      return gone.length;
    },
  };
}
