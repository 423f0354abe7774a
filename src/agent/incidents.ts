import type { IssueSeen } from './playbooks/types.js';

/** Beats to wait for a verdict after acting before calling the outcome unverified. */
export const VERIFY_BEATS = 3;

export type IncidentState = 'deciding' | 'verifying' | 'escalated' | 'reported' | 'acknowledged' | 'idle';

export interface Incident {
  key: string;
  playbook: string | null;
  subject: string;
  app: string | null;
  /** Issue keys currently part of it; the incident closes when the last resolves. */
  keys: Set<string>;
  first: IssueSeen;
  openedAt: number;
  state: IncidentState;
  actions: number;
  decisionId: string | null;
  beatsWaited: number;
}

/** Open incidents by group key: one per issue key or group, de-duplicated and grouped. */
export class IncidentTracker {
  private readonly open = new Map<string, Incident>();

  get(key: string): Incident | undefined {
    return this.open.get(key);
  }

  /** The open incident an issue key belongs to. */
  holding(issueKey: string): Incident | undefined {
    for (const i of this.open.values()) if (i.keys.has(issueKey)) return i;
    return undefined;
  }

  /** Opens an incident, or returns the open one (joined) with `joined: true`. */
  openOrJoin(key: string, issue: IssueSeen, playbook: string | null, app: string | null, now = Date.now()): { incident: Incident; joined: boolean } {
    const cur = this.open.get(key);
    if (cur) {
      cur.keys.add(issue.key);
      return { incident: cur, joined: true };
    }
    const incident: Incident = { key, playbook, subject: issue.subject, app, keys: new Set([issue.key]), first: issue, openedAt: now, state: 'deciding', actions: 0, decisionId: null, beatsWaited: 0 };
    this.open.set(key, incident);
    return { incident, joined: false };
  }

  /** An issue resolved: returns the incident if that was its last key (now closed). */
  resolve(issueKey: string): { incident: Incident; closed: boolean } | undefined {
    const inc = this.holding(issueKey);
    if (!inc) return undefined;
    inc.keys.delete(issueKey);
    const closed = inc.keys.size === 0;
    if (closed) this.open.delete(inc.key);
    return { incident: inc, closed };
  }

  close(key: string): void {
    this.open.delete(key);
  }

  all(): Incident[] {
    return [...this.open.values()];
  }

  clear(): void {
    this.open.clear();
  }
}
