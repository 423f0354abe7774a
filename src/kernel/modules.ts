import { appsModule } from '../apps/module.js';
import { dataModule } from '../data/module.js';
import { eventsModule } from '../events/module.js';
import { logsModule } from '../logs/module.js';
import { httpApiModule } from '../surfaces/http/api-module.js';
import { mcpModule } from '../surfaces/mcp/module.js';
import { pulseModule } from '../pulse/module.js';
import { runtimeModule } from '../runtime/module.js';
import { coreModule } from './core-module.js';
import { secretsModule } from '../secrets/module.js';
import { aiModule } from '../ai/module.js';
import { approvalsModule } from '../notify/approvals/module.js';
import { notifyModule } from '../notify/module.js';
import { agentModule } from '../agent/module.js';
import type { KernelModule } from './module.js';

/** Every capability area, in start order. Adding an area is one line here. */
export function allModules(): KernelModule[] {
  return [coreModule, secretsModule, eventsModule, logsModule, appsModule, dataModule, runtimeModule, aiModule, notifyModule, httpApiModule, approvalsModule, mcpModule, pulseModule, agentModule];
}
