import type { KernelModule } from '../kernel/module.js';
import { launchMigrations } from './migrations.js';
import { launchOps } from './ops/launch-ops.js';
import { PlanStore } from './plan-store.js';

declare module '../kernel/services.js' {
  interface Services {
    launch: PlanStore;
  }
}

/** apps.launch: the seed's sequence (DNS, app, domain, certificate) as one resumable plan of ordinary op calls. */
export const launchModule: KernelModule = {
  name: 'launch',
  migrations: launchMigrations,
  ops: launchOps,
  init(kernel) {
    kernel.services.launch = new PlanStore(kernel.db);
  },
  start(kernel) {
    kernel.services.launch.markInterrupted();
  },
};
