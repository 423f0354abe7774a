import type { KernelModule } from '../kernel/module.js';
import { AgentService } from './agent-service.js';
import { agentMigrations } from './migrations.js';
import { agentOps } from './ops/index.js';

declare module '../kernel/services.js' {
  interface Services {
    agent: AgentService;
  }
}

/** The agent: fazt looking after itself, through the same ops, gate and audit as everyone. */
export const agentModule: KernelModule = {
  name: 'agent',
  migrations: agentMigrations,
  ops: agentOps,
  init(kernel) {
    kernel.services.agent = new AgentService(kernel);
  },
  start(kernel) {
    kernel.services.agent.start();
  },
  async stop(kernel) {
    await kernel.services.agent.stop();
  },
};
