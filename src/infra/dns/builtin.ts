import type { Kernel } from '../../kernel/kernel.js';
import { notConfigured } from '../errors.js';
import type { BuiltinDns, BuiltinDnsRecord, DnsProvider, DnsRecord } from './types.js';

function view(r: BuiltinDnsRecord): DnsRecord {
  return { id: r.id, name: r.name, type: r.type, value: r.value, ttl: r.ttl, ...(r.priority !== undefined ? { priority: r.priority } : {}) };
}

/** Zones fazt serves itself, through the built-in authoritative server when it runs. */
export function builtinDns(kernel: Kernel): DnsProvider {
  const server = (): BuiltinDns => {
    const s: BuiltinDns | undefined = kernel.services.dnsServer;
    // Zones kept while the server does not answer would mislead: it must be listening.
    if (!s?.listening()) throw notConfigured("fazt's own DNS server", 'start the server with --dns-port to serve zones itself.');
    return s;
  };
  return {
    id: 'builtin',
    async zones() {
      return server().zones().map((z) => ({ id: z.name, name: z.name, records: z.records }));
    },
    async records(zone) {
      return server().records(zone).map(view);
    },
    async set(zone, rec) {
      return view(server().set(zone, { name: rec.name, type: rec.type, value: rec.value, ttl: rec.ttl, ...(rec.priority !== undefined ? { priority: rec.priority } : {}) }));
    },
    async add(zone, rec) {
      return view(server().add(zone, { name: rec.name, type: rec.type, value: rec.value, ttl: rec.ttl, ...(rec.priority !== undefined ? { priority: rec.priority } : {}) }));
    },
    async remove(zone, sel) {
      return server().remove(zone, sel);
    },
  };
}

export function builtinRunning(kernel: Kernel): boolean {
  return !!kernel.services.dnsServer?.listening();
}
