import { appGroup, isAppFailure } from './app-subject.js';
import type { Playbook } from './types.js';

interface LogLine { at: string; message?: string; path?: string; status?: number }

/** An app failing with nothing to roll back to: the owner gets the diagnosis (last errors, when it started). */
export const appFailing: Playbook = {
  name: 'app-failing',
  title: 'App failing with no version to roll back to',
  action: 'none: escalate with the diagnosis',
  expected: 'The owner knows what fails, since when, and why the agent did not act.',
  undo: 'nothing was changed',
  verify: 'The issue resolves once the owner fixes the app.',
  matches: isAppFailure,
  group: appGroup,
  async plan(ctx, issue) {
    const slug = issue.subject;
    const versions = await ctx.read<{ versions: { version: number; status: string; active: boolean; createdAt: string }[] }>('deploy.versions', { app: slug }).catch(() => ({ versions: [] }));
    const ready = versions.versions.filter((v) => v.status === 'ready');
    const logs = await ctx.read<{ entries: LogLine[] }>('logs.query', { app: slug, level: 'error', limit: 5 }).catch(() => ({ entries: [] }));
    const access = await ctx.read<{ entries: LogLine[] }>('logs.query', { app: slug, kind: 'access', level: 'error', limit: 100 }).catch(() => ({ entries: [] }));
    const first = [...logs.entries, ...access.entries].map((e) => e.at).sort()[0] ?? issue.at ?? new Date().toISOString();
    const why = ready.length <= 1 ? `it has ${ready.length === 1 ? 'only one version' : 'no ready version'}, so there is nothing to roll back to` : 'the errors started before its latest deploy, so a rollback would not help';
    return {
      diagnosis: {
        reason: `${slug} is failing (${issue.title}) and I did not act: ${why}.`,
        details: [
          `Started: ${first}`,
          `Last errors: ${logs.entries.map((e) => e.message ?? '').filter(Boolean).slice(0, 5).join(' | ') || (access.entries[0] ? `${access.entries.length} request(s) answered ${access.entries[0].status} (e.g. ${access.entries[0].path})` : 'none logged')}`,
          `Versions: ${ready.map((v) => v.version).join(', ') || 'none'}`,
          `Read more: fazt logs ${slug} --level error`,
        ],
      },
    };
  },
};
