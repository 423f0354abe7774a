import type { KernelModule } from '../kernel/module.js';
import { BootError } from '../server/boot-error.js';
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
    if (dnsPort !== undefined) await kernel.services.dnsServer.start(dnsHost, dnsPort).catch((err: unknown) => Promise.reject(dnsListenError(err, dnsHost, dnsPort)));
  },
  async stop(kernel) {
    await kernel.services.dnsServer.stop();
  },
};

/** A DNS socket that cannot bind, said so a person knows what to do. */
function dnsListenError(err: unknown, host: string, port: number): Error {
  const where = `Cannot answer DNS on ${host}:${port}`;
  switch ((err as NodeJS.ErrnoException).code) {
    case 'EADDRINUSE':
      return new BootError('PORT_IN_USE', `${where}: the port is in use (UDP or TCP), try --dns-port N (or 0 for any free port).`);
    case 'EACCES':
      return new BootError('PORT_FORBIDDEN', `${where}: this user may not use port ${port}; ports below 1024 need privileges (e.g. setcap cap_net_bind_service on node), or use --dns-port above 1023.`);
    case 'EADDRNOTAVAIL':
    case 'ENOTFOUND':
      return new BootError('BAD_HOST', `${where}: ${host} is not an address of this machine, check --dns-host.`);
    default:
      return err as Error;
  }
}
