import type { Metrics } from '../pulse/collectors/define.js';
import type { Rule } from '../pulse/analysis/rules.js';
import type { Issue } from '../pulse/analysis/types.js';

function hours(s: number): string {
  return s >= 172_800 ? `${Math.round(s / 86_400)} days` : `${Math.round(s / 3600)} hours`;
}

/** Warns when the last good backup is older than twice the schedule, or scheduled backups keep failing. */
export const backupStaleRule: Rule = (ctx) => {
  const m = ctx.beat.metrics.backup as Metrics | undefined;
  if (!m || typeof m.scheduleSeconds !== 'number') return [];
  const schedule = m.scheduleSeconds;
  const age = typeof m.lastGoodAgeSeconds === 'number' ? m.lastGoodAgeSeconds : null;
  const out: Issue[] = [];
  if ((age === null && m.failing === true) || (age !== null && age > 2 * schedule)) {
    out.push({
      key: 'backup.stale:data.db',
      severity: age !== null && age > 4 * schedule ? 'critical' : 'warning',
      subject: 'data.db',
      metric: 'backup.lastGoodAgeSeconds',
      value: age,
      title: age === null ? 'No backup has succeeded yet' : `Last good backup is ${hours(age)} old`,
      description:
        (age === null ? 'Scheduled backups are failing and none has succeeded.' : `Backups are scheduled every ${hours(schedule)}, but the last good one is ${hours(age)} old.`) +
        (typeof m.lastError === 'string' ? ` Last error: ${m.lastError}` : ''),
      recommendation: 'Run backup.create to see the error, and check the target with backup.list; backup.configure changes the target or credentials.',
    });
  }
  if (m.lastVerifyOk === false) {
    out.push({
      key: 'backup.verify:data.db',
      severity: 'warning',
      subject: 'data.db',
      metric: 'backup.lastVerifyOk',
      value: 0,
      title: 'The newest backup failed verification',
      description: 'A backup that cannot be restored is not a backup: the last verify could not restore and open it.',
      recommendation: 'Run backup.verify to see why, then backup.create for a fresh one.',
    });
  }
  return out;
};
