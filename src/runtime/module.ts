import type { KernelModule } from '../kernel/module.js';
import { apiHandler } from './http/api-handler.js';
import { runtimeMigrations } from './migrations.js';
import { eventAccessOps } from './ops/event-access-ops.js';
import { limitsOps } from './ops/limits-ops.js';
import { runtimeOps } from './ops/tools-ops.js';
import { RuntimeService } from './runtime-service.js';

declare module '../kernel/services.js' {
  interface Services {
    runtime: RuntimeService;
  }
}

/** Sandboxed api/main.js: /api/* on app hosts, fazt.* bindings, app tools/resources, event handlers. */
export const runtimeModule: KernelModule = {
  name: 'runtime',
  migrations: runtimeMigrations,
  ops: [...runtimeOps, ...eventAccessOps, ...limitsOps],
  init(kernel) {
    const runtime = new RuntimeService(kernel);
    kernel.services.runtime = runtime;
    kernel.useHttp(50, apiHandler(kernel), (r) => r.path.startsWith('/api'), 'app');
    kernel.services.deployHooks.beforeActivate('runtime', (d) => runtime.beforeActivate(d));
    const refresh = (e: { data: unknown }) => {
      const id = (e.data as { id: string }).id;
      runtime.drop(id);
      runtime.subscribe(id);
    };
    kernel.events.on('system.app.deployed', refresh);
    kernel.events.on('system.app.rolledback', refresh);
    kernel.events.on('system.app.deleted', (e) => {
      const id = (e.data as { id: string }).id;
      runtime.drop(id);
      runtime.subscribe(id);
      runtime.registrations.deleteApp(id);
      runtime.eventGrants.deleteApp(id);
      runtime.limits.deleteApp(id);
    });
  },
  start(kernel) {
    kernel.services.runtime.subscribeAll();
  },
  stop(kernel) {
    kernel.services.runtime.stop();
  },
};
