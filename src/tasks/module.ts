import type { KernelModule } from '../kernel/module.js';
import { tasksMigrations } from './migrations.js';
import { taskOps } from './ops/task-ops.js';
import { TaskService } from './task-service.js';

declare module '../kernel/services.js' {
  interface Services {
    tasks: TaskService;
  }
}

/** Long operations run as tasks a caller starts, watches and comes back to. */
export const tasksModule: KernelModule = {
  name: 'tasks',
  migrations: tasksMigrations,
  ops: taskOps,
  init(kernel) {
    kernel.services.tasks = new TaskService(kernel);
  },
  start(kernel) {
    kernel.services.tasks.recover();
  },
  async stop(kernel) {
    await kernel.services.tasks.stop();
  },
};
