import type { KernelModule } from '../kernel/module.js';
import { acceptsLoginRoute, loginRoute } from './login-route.js';
import { authMigrations } from './migrations.js';
import { OwnerSessions } from './owner-sessions.js';
import { sessionOps } from './session-ops.js';

/** Owner sign-in: password or owner key (+ TOTP), browser sessions, /login and /logout. */
export const authModule: KernelModule = {
  name: 'auth',
  migrations: authMigrations,
  ops: sessionOps,
  init(kernel) {
    const sessions = new OwnerSessions(kernel);
    kernel.services.ownerSessions = sessions;
    // Before the ops route (20) and the static sites: /login and /logout are ours on kernel hosts.
    kernel.useHttp(14, loginRoute(kernel, sessions), acceptsLoginRoute, 'kernel');
  },
};
