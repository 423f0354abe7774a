import type { KernelModule } from '../kernel/module.js';
import { AppsService } from './apps-service.js';
import { DeployHooks } from './deploy-hooks.js';
import { DeployService } from './deploy-service.js';
import { DomainsService } from './domains-service.js';
import { FilesService } from './files-service.js';
import { appsMigrations } from './migrations.js';
import { appsOps } from './ops/apps-ops.js';
import { filesOps } from './ops/files-ops.js';
import { deployOps } from './ops/deploy-ops.js';
import { domainsOps } from './ops/domains-ops.js';
import { seedApps } from './seed.js';
import { StaticServer } from './static/static-handler.js';

declare module '../kernel/services.js' {
  interface Services {
    apps: AppsService;
    staticFiles: StaticServer;
    domains: DomainsService;
  }
}

export const appsModule: KernelModule = {
  name: 'apps',
  migrations: appsMigrations,
  ops: [...appsOps, ...deployOps, ...filesOps, ...domainsOps],
  init(kernel) {
    const apps = new AppsService(kernel);
    kernel.services.apps = apps;
    kernel.services.deployHooks = new DeployHooks();
    kernel.services.files = new FilesService(kernel);
    const domains = new DomainsService(kernel);
    kernel.services.domains = domains;
    domains.reload();
    kernel.services.deploys = new DeployService(kernel);
    // `{id}` / `{app}` in capability templates name apps by id, whatever the caller typed.
    const resolve = (v: string) => apps.find(v)?.id ?? v;
    kernel.setCapabilityResolver('id', resolve);
    kernel.setCapabilityResolver('app', resolve);

    const statics = new StaticServer(kernel);
    kernel.services.staticFiles = statics;
    kernel.useHttp(100, statics.handler());
    // The file table of an app changes only through these; content is addressed by hash.
    kernel.events.on('system.app.deployed', (e) => statics.invalidate((e.data as { id: string }).id));
    kernel.events.on('system.app.rolledback', (e) => statics.invalidate((e.data as { id: string }).id));
    kernel.events.on('system.app.created', (e) => statics.invalidate((e.data as { slug: string }).slug));
    kernel.events.on('system.app.deleted', (e) => {
      const { id, slug } = e.data as { id: string; slug: string };
      statics.invalidate(id, true);
      statics.invalidate(slug);
      for (const d of domains.reload()) kernel.events.emit({ type: 'system.app.domain.removed', source: 'system', data: { id, slug, domain: d.domain } });
    });
  },
  async start(kernel) {
    kernel.services.apps.ensureSystemApps();
    kernel.services.deploys.cleanupInterrupted();
    await seedApps(kernel);
  },
};
