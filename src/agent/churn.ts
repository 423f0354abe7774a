const HOUR_MS = 3_600_000;

/** At most N actions per incident and M per hour overall; past either, the agent asks instead. */
export class ChurnBudget {
  private readonly recent: number[];

  /** `acted`: when the agent acted in the last hour before this start (from its journal), so a restart does not refill the budget. */
  constructor(private readonly limits: () => { perIncident: number; perHour: number }, acted: number[] = []) {
    this.recent = [...acted];
  }

  /** Why not to act now, or null. */
  refuse(actionsOnIncident: number, now = Date.now()): string | null {
    const { perIncident, perHour } = this.limits();
    while (this.recent.length && now - this.recent[0] >= HOUR_MS) this.recent.shift();
    if (actionsOnIncident >= perIncident) return `churn budget: already ${actionsOnIncident} action(s) on this incident (limit ${perIncident}); asking instead`;
    if (this.recent.length >= perHour) return `churn budget: ${this.recent.length} action(s) in the last hour (limit ${perHour}); asking instead`;
    return null;
  }

  spend(now = Date.now()): void {
    this.recent.push(now);
  }

  usedLastHour(now = Date.now()): number {
    return this.recent.filter((t) => now - t < HOUR_MS).length;
  }
}
