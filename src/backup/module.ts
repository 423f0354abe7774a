import type { KernelModule } from '../kernel/module.js';
import { BackupService } from './backup-service.js';
import { backupCreate, backupDelete, backupList, backupRestore, backupStatus, backupVerify } from './ops/backup-ops.js';
import { backupConfigure } from './ops/configure-op.js';
import { appsExport, appsImport } from './ops/apps-transfer-ops.js';
import { backupCollector } from './pulse-collector.js';

declare module '../kernel/services.js' {
  interface Services {
    backup: BackupService;
  }
}

/** Backups of the one data.db: snapshots, targets, schedule, retention, verify, restore; app export/import. */
export const backupModule: KernelModule = {
  name: 'backup',
  ops: [backupCreate, backupList, backupDelete, backupVerify, backupRestore, backupStatus, backupConfigure, appsExport, appsImport],
  init(kernel) {
    kernel.services.backup = new BackupService(kernel);
  },
  start(kernel) {
    kernel.services.pulse?.collectors.add(backupCollector);
    kernel.services.backup.startSchedule();
  },
  stop(kernel) {
    return kernel.services.backup.stop();
  },
};
