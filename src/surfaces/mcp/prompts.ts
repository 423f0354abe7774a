import { ProtocolError, ProtocolErrorCode, type GetPromptResult, type Prompt } from '@modelcontextprotocol/server';
import type { Kernel } from '../../kernel/kernel.js';
import type { Caller } from '../../kernel/ops/define.js';
import type { McpCallContext } from './catalog.js';
import { toolNameFor } from './tool-names.js';

const PROMPTS: Prompt[] = [
  { name: 'deploy-site', title: 'Deploy a site', description: 'Walks through putting a folder of static files (and optionally an api/main.js) online as a fazt app.', arguments: [{ name: 'name', description: 'Name of the site (becomes <name>.<domain>)', required: false }] },
  { name: 'diagnose-app', title: 'Diagnose an app', description: 'Looks at an app\'s status, recent deploys and logs, and explains what is wrong.', arguments: [{ name: 'app', description: 'App id or slug', required: true }] },
  { name: 'health-report', title: 'Health report', description: 'Summarises the server\'s health from pulse (memory, errors, latency, storage) with recommendations.' },
  { name: 'agent-report', title: 'Agent report', description: 'Summarises what the agent did this week: incidents, actions, escalations, verifications and what it learned.' },
];

/** Prompts that help a person start; they name only the tools that exist on this server. */
export function kernelPrompts(kernel: Kernel, _caller: () => Caller) {
  const tool = (op: string) => (kernel.registry.get(op) ? `\`${toolNameFor(op)}\`` : undefined);
  const list = (...ops: string[]) => ops.map(tool).filter(Boolean).join(', ') || 'the available tools';
  const user = (text: string): GetPromptResult => ({ messages: [{ role: 'user', content: { type: 'text', text } }] });
  return {
    list: () => PROMPTS,
    async get(name: string, args: Record<string, string>, _call: McpCallContext): Promise<GetPromptResult> {
      switch (name) {
        case 'deploy-site': {
          const site = args.name ? `named '${args.name}'` : 'with a name I choose';
          return user(
            `Help me deploy a site ${site} to my fazt server (${kernel.config.domain}). ` +
              `First check whether the app exists with ${list('apps.list')}; create it with ${list('apps.create')} if needed, ` +
              `then deploy the files with ${list('deploy', 'deploy.files')} and confirm with ${list('deploy.status', 'apps.get')}. Tell me the URL at the end.`,
          );
        }
        case 'diagnose-app': {
          if (!args.app) throw new ProtocolError(ProtocolErrorCode.InvalidParams, "Missing required argument 'app' (an app id or slug).");
          return {
            messages: [
              { role: 'user', content: { type: 'text', text: `Diagnose my fazt app '${args.app}'. Use ${list('apps.get', 'deploy.status', 'logs.query', 'pulse.status')} to look at its state, latest deploy, recent errors and the server's health. Explain what is wrong in plain words and propose fixes; do not change anything without asking me.` } },
              { role: 'user', content: { type: 'resource_link', uri: `fazt://apps/${args.app}`, name: `app-${args.app}`, mimeType: 'application/json' } },
            ],
          } as GetPromptResult;
        }
        case 'health-report':
          return user(`Give me a health report of my fazt server. Use ${list('pulse.status', 'pulse.history', 'apps.list', 'logs.query')}: memory, CPU, request and error rates, latency, storage, any app that is erroring. End with the three most useful recommendations.`);
        case 'agent-report':
          return {
            messages: [
              { role: 'user', content: { type: 'text', text: `Summarise what the fazt agent did this week. Use ${list('agent.decisions', 'agent.status', 'agent.preferences')} (decisions since 7d). Group by incident: what it saw, whether it acted, asked me or only reported, whether the action was verified or undone, and what it learned about my preferences. Flag anything that failed verification or is still waiting for me.` } },
              { role: 'user', content: { type: 'resource_link', uri: 'fazt://agent/journal', name: 'agent-journal', mimeType: 'application/json' } },
            ],
          } as GetPromptResult;
        default:
          throw new ProtocolError(ProtocolErrorCode.InvalidParams, `Unknown prompt '${name}'.`);
      }
    },
  };
}
