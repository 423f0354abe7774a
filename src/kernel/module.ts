import type { Migration } from '../store/migrations.js';
import type { AnyOp } from './ops/define.js';
import type { Kernel } from './kernel.js';

/**
 * A capability area (apps, runtime, logs, pulse, ...). Adding one means writing
 * its module and listing it in modules.ts; nothing else changes.
 */
export interface KernelModule {
  name: string;
  /** This module's own numbered, append-only schema series. */
  migrations?: Migration[];
  ops?: AnyOp[];
  /** Wire services onto `kernel.services` (the database is open and migrated). */
  init?(kernel: Kernel): void;
  /** Everything is wired: seed data, start timers. */
  start?(kernel: Kernel): Promise<void> | void;
  /** Flush buffers and stop timers, in reverse module order. */
  stop?(kernel: Kernel): Promise<void> | void;
}

/** Service registry that modules extend by declaration merging, e.g.
 *  `declare module '../kernel/services.js' { interface Services { apps: AppsService } }` */
export type { Services } from './services.js';
