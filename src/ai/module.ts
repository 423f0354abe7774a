import type { KernelModule } from '../kernel/module.js';
import { AiService } from './ai-service.js';
import { aiMigrations } from './migrations.js';
import { aiCollector } from './pulse-collector.js';
import { aiComplete } from './ops/complete-op.js';
import { aiEmbed } from './ops/embed-op.js';
import { aiProvidersList, aiProvidersRemove, aiProvidersSet } from './ops/providers-ops.js';
import { aiBudgetSet, aiConfigure, aiUsage } from './ops/usage-op.js';

declare module '../kernel/services.js' {
  interface Services {
    ai: AiService;
  }
}

/** One way to reach any model: providers, budgets, redaction and usage. */
export const aiModule: KernelModule = {
  name: 'ai',
  migrations: aiMigrations,
  ops: [aiComplete, aiEmbed, aiProvidersList, aiProvidersSet, aiProvidersRemove, aiUsage, aiBudgetSet, aiConfigure],
  init(kernel) {
    kernel.services.ai = new AiService(kernel);
  },
  start(kernel) {
    kernel.services.pulse?.collectors.add(aiCollector);
  },
};
