import { appGroup, beatTraffic, isAppFailure } from './app-subject.js';
import type { Playbook, PlaybookContext } from './types.js';

interface Version { version: number; status: string; active: boolean; createdAt: string }

/** Was the app already failing in the last beat before this time (errors older than the deploy)? */
function failedBefore(ctx: PlaybookContext, slug: string, iso: string): boolean {
  const beats = ctx.kernel.services.pulse?.store.recent(12) ?? [];
  const last = beats.filter((b) => b.at < iso).at(-1);
  return !!last?.analysis.issues.some((i) => i.subject === slug && i.key.startsWith('app.'));
}

/** Errors that started after the latest deploy, with an earlier version to go back to: roll back. */
export const badDeploy: Playbook = {
  name: 'bad-deploy',
  title: 'Bad deploy: errors after the latest deploy',
  action: 'deploy.rollback to the newest ready version before the active one',
  expected: 'The app serves the previous version and its requests succeed again.',
  undo: 'deploy.rollback to the version that was active (roll forward).',
  verify: 'The next beat with traffic to the app shows its 5xx rate below the warning threshold.',
  matches: isAppFailure,
  group: appGroup,
  async plan(ctx, issue) {
    const slug = issue.subject;
    const v = await ctx.read<{ activeVersion: number | null; versions: Version[] }>('deploy.versions', { app: slug }).catch(() => null);
    if (!v || v.activeVersion === null) return null;
    const active = v.versions.find((x) => x.active);
    const previous = v.versions.filter((x) => x.status === 'ready' && x.version < v.activeVersion!).sort((a, b) => b.version - a.version)[0];
    if (!active || !previous || failedBefore(ctx, slug, active.createdAt)) return null;
    return {
      proposal: {
        source: 'bad-deploy',
        op: 'deploy.rollback',
        input: { app: slug, version: previous.version },
        label: `Roll back ${slug} to version ${previous.version}`,
        reason: `${issue.title}: the errors started after version ${active.version} was deployed (${active.createdAt}), and version ${previous.version} served without them.`,
        expected: `${slug} serves version ${previous.version} and its requests succeed again.`,
        undo: { op: 'deploy.rollback', input: { app: slug, version: active.version }, description: `roll forward to version ${active.version}` },
        verify: this.verify,
        allowListed: true,
      },
    };
  },
  check(ctx, slug, beat) {
    const t = beatTraffic(beat.metrics, slug);
    if (t.requests === 0) return 'pending';
    const limit = ctx.kernel.services.pulse?.config.thresholds.errorRateWarningPercent ?? 5;
    return (t.errors / t.requests) * 100 < limit ? 'ok' : 'failed';
  },
};
