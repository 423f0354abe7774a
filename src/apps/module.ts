import type { KernelModule } from '../kernel/module.js';
import { AppsService } from './apps-service.js';
import { DeployHooks } from './deploy-hooks.js';
import { appsMigrations } from './migrations.js';
import { appsOps } from './ops/apps-ops.js';

declare module '../kernel/services.js' {
  interface Services {
    apps: AppsService;
  }
}

export const appsModule: KernelModule = {
  name: 'apps',
  migrations: appsMigrations,
  ops: appsOps,
  init(kernel) {
    const apps = new AppsService(kernel);
    kernel.services.apps = apps;
    kernel.services.deployHooks = new DeployHooks();
    // `{id}` / `{app}` in capability templates name apps by id, whatever the caller typed.
    const resolve = (v: string) => apps.find(v)?.id ?? v;
    kernel.setCapabilityResolver('id', resolve);
    kernel.setCapabilityResolver('app', resolve);
  },
  start(kernel) {
    kernel.services.apps.ensureSystemApps();
  },
};
