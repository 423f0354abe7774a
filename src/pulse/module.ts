import type { KernelModule } from '../kernel/module.js';
import { pulseMigrations } from './migrations.js';
import { pulseOps } from './ops/index.js';
import { PulseService } from './pulse-service.js';
import { eventLoopMonitor } from './collectors/process.js';

declare module '../kernel/services.js' {
  interface Services {
    pulse: PulseService;
  }
}

/** Pulse: fazt's health — collectors, beats on a timer, rule analysis, history and questions. */
export const pulseModule: KernelModule = {
  name: 'pulse',
  migrations: pulseMigrations,
  ops: pulseOps,
  init(kernel) {
    kernel.services.pulse = new PulseService(kernel);
    eventLoopMonitor();
  },
  start(kernel) {
    kernel.services.pulse.start();
  },
  stop(kernel) {
    kernel.services.pulse.stop();
  },
};
