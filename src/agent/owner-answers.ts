import type { Kernel } from '../kernel/kernel.js';
import type { IncidentTracker } from './incidents.js';
import type { Journal } from './journal.js';
import type { Preferences } from './preferences.js';

export const DO_IT_MYSELF = 'Do this yourself next time';
export const EXPAND_DISK_HELP =
  'Expanding the disk is done at your hosting provider (resize the volume, then grow the filesystem). fazt keeps watching disk use and tells you when it is back under the threshold.';

export interface AnswerDeps {
  kernel: Kernel;
  journal: Journal;
  preferences: Preferences;
  incidents: IncidentTracker;
  tell(title: string, body: string, severity: 'info' | 'warning' | 'critical'): Promise<number>;
}

/**
 * Learns from the owner's answer to one of the agent's halts: approvals climb the
 * trust ladder ("Do this yourself next time" promotes), denials and "Ignore" keep
 * the proposal quiet, and an approved action is verified like the agent's own.
 */
export function onOwnerAnswer(x: AnswerDeps, d: { id: string; status: string; option?: string }): Promise<unknown> | void {
  const dec = x.journal.byHalt(d.id);
  if (!dec || !dec.action) return;
  const halt = x.kernel.halts.get(d.id);
  const option = d.option ?? halt?.decisionOption ?? halt?.options[0];
  const chosen = halt?.choices?.find((c) => c.option === option);
  const decided = d.status === 'approved' || d.status === 'failed';
  const ran = decided && (!chosen || chosen.runs);
  const incident = x.incidents.get(dec.incident);
  const ack = dec.action.op === 'agent.acknowledge';
  if (!decided) {
    x.journal.update(dec.id, { outcome: d.status === 'denied' ? 'denied by the owner' : `${d.status}: nobody decided in time` });
    if (d.status === 'denied' && !ack) x.preferences.denied(dec.kind, dec.subject, dec.action.op);
    if (incident) incident.state = 'idle';
    return;
  }
  x.journal.update(dec.id, { outcome: `the owner chose "${option}"${ran ? (d.status === 'failed' ? `; it failed: ${halt?.error?.message ?? ''}` : '; it ran') : '; nothing ran'}` });
  if (ran && !ack && d.status === 'approved') {
    x.preferences.approved(dec.kind, dec.subject, dec.action.op);
    if (option === DO_IT_MYSELF) x.preferences.promote(dec.kind, dec.subject, dec.action.op);
    if (incident) {
      incident.state = 'verifying';
      incident.beatsWaited = 0;
      incident.decisionId = dec.id;
      x.journal.update(dec.id, { verification: 'pending', actedAt: new Date().toISOString() });
    }
    return;
  }
  if (!ran && option === 'Ignore') x.preferences.denied(dec.kind, dec.subject, dec.action.op);
  if (incident) incident.state = ack ? 'acknowledged' : 'idle';
  if (!ran && option === 'Expand disk') return x.tell('expanding the disk', EXPAND_DISK_HELP, 'info');
}
