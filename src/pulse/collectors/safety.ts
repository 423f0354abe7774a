import { defineCollector } from './define.js';

/** Human-approval backlog, refused calls and refused authentications since the last beat. */
export const safetyCollector = defineCollector({
  name: 'safety',
  collect({ kernel, lastBeatAt, now }) {
    const pending = kernel.halts.pendingStats();
    const since = new Date(lastBeatAt !== null && lastBeatAt < now ? lastBeatAt : now - 15 * 60_000).toISOString();
    return {
      pendingHalts: pending.count,
      oldestHaltAt: pending.oldestAt,
      oldestHaltHours: pending.oldestAt ? Math.round(((now - Date.parse(pending.oldestAt)) / 3_600_000) * 100) / 100 : 0,
      deniedCalls: kernel.audit.countSince(since, 'denied'),
      ...authFailures(kernel.audit.authFailuresSince(since)),
    };
  },
});

/** The count includes failures held back from the audit table during a flood. */
function authFailures(f: { total: number; byIp: { ip: string; count: number }[] }) {
  return { authFailures: f.total, authFailureSources: f.byIp.slice(0, 5) };
}
