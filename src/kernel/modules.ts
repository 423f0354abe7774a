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
import { authModule } from '../auth/module.js';
import { approvalsModule } from '../notify/approvals/module.js';
import { notifyModule } from '../notify/module.js';
import { launchModule } from '../launch/module.js';
import { tasksModule } from '../tasks/module.js';
import { oauthModule } from '../oauth/module.js';
import { dnsServerModule } from '../dns-server/module.js';
import { backupModule } from '../backup/module.js';
import { sslModule } from '../ssl/module.js';
import { infraModule } from '../infra/module.js';
import { agentModule } from '../agent/module.js';
import type { KernelModule } from './module.js';

/** Every capability area, in start order. Adding an area is one line here. */
export function allModules(): KernelModule[] {
  return [
    coreModule,
    secretsModule,
    authModule,
    eventsModule,
    logsModule,
    appsModule,
    dataModule,
    runtimeModule,
    aiModule,
    notifyModule,
    infraModule,
    sslModule,
    httpApiModule,
    approvalsModule,
    oauthModule,
    tasksModule,
    mcpModule,
    dnsServerModule,
    pulseModule,
    agentModule,
    backupModule,
    launchModule,
  ];
}
