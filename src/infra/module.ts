import type { KernelModule } from '../kernel/module.js';
import { InfraService } from './infra-service.js';
import { infraMigrations } from './migrations.js';
import { infraCollector } from './pulse-collector.js';
import { infraProvidersList, infraProvidersRemove, infraProvidersSet } from './ops/providers-ops.js';
import { infraVpsList, infraVpsRegions, infraVpsStatus, infraVpsTypes } from './ops/vps-read-ops.js';
import { infraVpsCreate } from './ops/vps-create-op.js';
import { infraVpsDestroy, infraVpsReboot } from './ops/vps-write-ops.js';
import { infraVpsExec } from './ops/vps-exec-op.js';
import { infraPeersRegister } from './ops/peers-op.js';
import { infraPeersCall } from './ops/peers-call-op.js';
import { infraDnsCheckPropagation, infraDnsDelete, infraDnsRecords, infraDnsSet, infraDnsSetMany, infraDnsZones } from './ops/dns-ops.js';
import { infraDomainCheck, infraDomainGet, infraDomainList, infraDomainRegister } from './ops/domain-ops.js';

declare module '../kernel/services.js' {
  interface Services {
    infra: InfraService;
  }
}

/** Servers, DNS and domains at providers and on this machine. */
export const infraModule: KernelModule = {
  name: 'infra',
  migrations: infraMigrations,
  ops: [
    infraProvidersList, infraProvidersSet, infraProvidersRemove,
    infraVpsList, infraVpsTypes, infraVpsRegions, infraVpsStatus, infraVpsCreate, infraVpsReboot, infraVpsDestroy, infraVpsExec, infraPeersRegister, infraPeersCall,
    infraDnsZones, infraDnsRecords, infraDnsSet, infraDnsSetMany, infraDnsDelete, infraDnsCheckPropagation,
    infraDomainCheck, infraDomainRegister, infraDomainList, infraDomainGet,
  ],
  init(kernel) {
    kernel.services.infra = new InfraService(kernel);
  },
  start(kernel) {
    kernel.services.pulse?.collectors.add(infraCollector);
    // Servers stay up across this node's restarts: its local ones start again once it listens everywhere.
    void kernel.started.then(() => kernel.services.infra.local.startAll((name, err) =>
        kernel.events.emit({ type: 'system.infra.server.failed', source: 'system', data: { server: `local:${name}`, message: `did not start: ${(err as Error).message}` } }),
      ),
    );
  },
  async stop(kernel) {
    // Local servers are children of this process: they stop with it and start again on reboot.
    await kernel.services.infra.local.stopAll();
  },
};
