import { appsCollector } from './apps.js';
import { certsCollector } from './certs.js';
import type { Collector } from './define.js';
import { hostCollector } from './host.js';
import { httpCollector } from './http.js';
import { logsCollector } from './logs.js';
import { processCollector } from './process.js';
import { safetyCollector } from './safety.js';
import { storageCollector } from './storage.js';

/** The built-in collectors; another area adds its own with `kernel.services.pulse.collectors.add()`. */
export const builtinCollectors: Collector[] = [
  processCollector,
  hostCollector,
  httpCollector,
  appsCollector,
  storageCollector,
  safetyCollector,
  certsCollector,
  logsCollector,
];
