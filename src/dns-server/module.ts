import type { KernelModule } from '../kernel/module.js';
import { DnsServerService } from './dns-service.js';
import { dnsServerMigrations } from './migrations.js';
import { dnsRecordsAdd, dnsRecordsList, dnsRecordsRemove, dnsRecordsSet } from './ops/records-ops.js';
import { dnsZonesCreate, dnsZonesDelete, dnsZonesList } from './ops/zones-ops.js';
import { dnsServerCollector } from './pulse-collector.js';

declare module '../kernel/services.js' {
  interface Services {
    dnsServer: DnsServerService;
  }
}

/** An authoritative DNS server for the zones this fazt hosts (UDP and TCP on --dns-port). */
export const dnsServerModule: KernelModule = {
  name: 'dnsServer',
  migrations: dnsServerMigrations,
  ops: [dnsZonesList, dnsZonesCreate, dnsZonesDelete, dnsRecordsList, dnsRecordsSet, dnsRecordsAdd, dnsRecordsRemove],
  init(kernel) {
    kernel.services.dnsServer = new DnsServerService(kernel);
  },
  async start(kernel) {
    kernel.services.pulse?.collectors.add(dnsServerCollector);
    const { dnsPort, dnsHost } = kernel.config;
    if (dnsPort !== undefined) await kernel.services.dnsServer.start(dnsHost, dnsPort);
  },
  async stop(kernel) {
    await kernel.services.dnsServer.stop();
  },
};
