import type { KernelModule } from '../kernel/module.js';
import { secretsMigrations } from './migrations.js';
import { SecretStore } from './secret-store.js';

declare module '../kernel/services.js' {
  interface Services {
    secrets: SecretStore;
  }
}

/** The encrypted secrets store: every credential other areas keep goes through it. */
export const secretsModule: KernelModule = {
  name: 'secrets',
  migrations: secretsMigrations,
  init(kernel) {
    kernel.services.secrets = new SecretStore(kernel.db, kernel.config.dataDir);
  },
};
