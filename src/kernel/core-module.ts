import { auditOps } from '../audit/ops.js';
import { authOps } from '../auth/ops.js';
import { haltOps } from '../halt/ops.js';
import { coreMigrations } from './core-migrations.js';
import type { KernelModule } from './module.js';
import { serverOps } from './server-ops.js';

/** The kernel's own area: tokens, halts, audit, op listing. */
export const coreModule: KernelModule = {
  name: 'core',
  migrations: coreMigrations,
  ops: [...serverOps, ...authOps, ...haltOps, ...auditOps],
  start(kernel) {
    // Expired halts get their default decision even when nobody looks at them.
    const timer = setInterval(() => kernel.halts.expireDue(), 60_000);
    timer.unref();
    kernel.events.once('system.shutdown', () => clearInterval(timer));
  },
};
