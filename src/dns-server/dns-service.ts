import type { Kernel } from '../kernel/kernel.js';
import { DnsListeners } from './listeners.js';
import { canonicalName } from './names.js';
import { DnsStats } from './stats.js';
import type { BuiltinDns, BuiltinDnsRecord, RecordInput } from './types.js';
import { ZoneStore } from './zone-store.js';

/** `--set dns.nameservers=ns1.example.com,ns2.example.com`: what new zones list as their servers. */
export const NAMESERVERS_KEY = 'dns.nameservers';

/** The built-in authoritative server: zones in SQLite, answered over UDP and TCP. */
export class DnsServerService implements BuiltinDns {
  readonly stats = new DnsStats();
  private readonly store: ZoneStore;
  private readonly listeners: DnsListeners;

  constructor(kernel: Kernel) {
    const ns = (kernel.config.extra[NAMESERVERS_KEY] ?? '').split(',').map(canonicalName).filter(Boolean);
    this.store = new ZoneStore(kernel.db, () => ns);
    this.listeners = new DnsListeners(this.store.index, this.stats);
  }

  zones() {
    return this.store.zones();
  }
  createZone(name: string): void {
    this.store.createZone(name);
  }
  deleteZone(name: string): boolean {
    return this.store.deleteZone(name);
  }
  records(zone: string): BuiltinDnsRecord[] {
    return this.store.records(zone);
  }
  set(zone: string, rec: RecordInput): BuiltinDnsRecord {
    return this.store.set(zone, rec);
  }
  add(zone: string, rec: RecordInput): BuiltinDnsRecord {
    return this.store.add(zone, rec);
  }
  remove(zone: string, sel: { name: string; type: string; value?: string }): number {
    return this.store.remove(zone, sel);
  }
  listening(): { host: string; port: number } | null {
    return this.listeners.address();
  }

  start(host: string, port: number): Promise<{ host: string; port: number }> {
    return this.listeners.start(host, port);
  }
  stop(): Promise<void> {
    return this.listeners.stop();
  }
}
