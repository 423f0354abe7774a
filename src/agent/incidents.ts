import type { IssueSeen } from './playbooks/types.js';

/** An incident that resolved this recently and comes back is the same burst, not a new incident. */
export const GROUP_WAIT_MS = 30_000;
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
  private readonly recentlyClosed = new Map<string, { incident: Incident; at: number }>();

  constructor(private readonly groupWaitMs = GROUP_WAIT_MS) {}

  /** A new deploy is a new situation: what closed before it is not reopened as a flap. */
  forgetClosed(key: string): void {
    this.recentlyClosed.delete(key);
  }

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
    // A flap (resolved, then back within the group wait) reopens the incident it was, already decided.
    const flap = this.recentlyClosed.get(key);
    this.recentlyClosed.delete(key);
    if (flap && now - flap.at < this.groupWaitMs) {
      flap.incident.keys.add(issue.key);
      this.open.set(key, flap.incident);
      return { incident: flap.incident, joined: true };
    }
    const incident: Incident = { key, playbook, subject: issue.subject, app, keys: new Set([issue.key]), first: issue, openedAt: now, state: 'deciding', actions: 0, decisionId: null, beatsWaited: 0 };
    this.open.set(key, incident);
    return { incident, joined: false };
  }

  /** An issue resolved: returns the incident if that was its last key (now closed). */
  resolve(issueKey: string, now = Date.now()): { incident: Incident; closed: boolean } | undefined {
    const inc = this.holding(issueKey);
    if (!inc) return undefined;
    inc.keys.delete(issueKey);
    const closed = inc.keys.size === 0;
    if (closed) {
      this.open.delete(inc.key);
      this.recentlyClosed.set(inc.key, { incident: inc, at: now });
      for (const [k, c] of this.recentlyClosed) if (now - c.at >= this.groupWaitMs) this.recentlyClosed.delete(k);
    }
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
    this.recentlyClosed.clear();
  }
}
