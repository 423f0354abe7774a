import type { KernelModule } from '../kernel/module.js';
import { AiService } from './ai-service.js';
import { aiMigrations } from './migrations.js';
import { aiCollector } from './pulse-collector.js';
import { aiComplete } from './ops/complete-op.js';
import { aiEmbed } from './ops/embed-op.js';
import { aiProvidersList, aiProvidersRemove, aiProvidersSet } from './ops/providers-ops.js';
import { aiBudgetSet, aiConfigure, aiUsage } from './ops/usage-op.js';
import { appAiOps } from './ops/app-access-ops.js';
import { requestedAi } from './apps/manifest-ai.js';

declare module '../kernel/services.js' {
  interface Services {
    ai: AiService;
  }
}

/** One way to reach any model: providers, budgets, redaction and usage. */
export const aiModule: KernelModule = {
  name: 'ai',
  migrations: aiMigrations,
  ops: [aiComplete, aiEmbed, aiProvidersList, aiProvidersSet, aiProvidersRemove, aiUsage, aiBudgetSet, aiConfigure, ...appAiOps],
  init(kernel) {
    const ai = (kernel.services.ai = new AiService(kernel));
    // A malformed "ai" entry fails the deploy; a request the owner has not granted is pointed out.
    kernel.services.deployHooks.beforeActivate('ai', (d) => {
      if (requestedAi(d.manifest) && !ai.apps.grants.get(d.app.id)) {
        d.notices.push(`manifest.json asks to use AI models (fazt.ai): calls fail until the owner allows it with: fazt apps ai grant ${d.app.slug}`);
      }
    });
    kernel.events.on('system.app.deleted', (e) => ai.apps.deleteApp((e.data as { id: string }).id));
  },
  start(kernel) {
    kernel.services.pulse?.collectors.add(aiCollector);
  },
};
