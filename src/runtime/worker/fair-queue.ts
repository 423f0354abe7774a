/**
 * Invocations waiting for a sandbox worker: one queue per app, bounded, and
 * served round-robin under a per-app cap on running invocations. A worker
 * runs one invocation at a time and app code cannot be preempted, so this is
 * where fairness is decided: an app stuck in loops holds at most its cap of
 * workers, and when a worker frees up, the waiting app with the fewest
 * running invocations goes first (the one served longest ago among equals).
 */
export class FairQueue<T> {
  /** Map order is the round-robin order: an app that was served moves to the back. */
  private readonly waiting = new Map<string, T[]>();
  private readonly running = new Map<string, number>();

  constructor(private readonly maxWaiting: number) {}

  /** Queues a job; false when the app already has `maxWaiting` jobs waiting. */
  push(app: string, job: T): boolean {
    const q = this.waiting.get(app);
    if (q && q.length >= this.maxWaiting) return false;
    if (q) q.push(job);
    else this.waiting.set(app, [job]);
    return true;
  }

  /**
   * The app whose job should start next with at most `cap` running per app;
   * with `starvedOnly`, only an app that has nothing running qualifies.
   */
  nextApp(cap: number, starvedOnly = false): string | null {
    let best: string | null = null;
    let bestRunning = Infinity;
    for (const app of this.waiting.keys()) {
      const n = this.running.get(app) ?? 0;
      if (n < cap && n < bestRunning && (!starvedOnly || n === 0)) [best, bestRunning] = [app, n];
    }
    return best;
  }

  /** Takes the app's oldest waiting job and counts it as running. */
  start(app: string): T {
    const q = this.waiting.get(app)!;
    const job = q.shift()!;
    this.waiting.delete(app);
    if (q.length) this.waiting.set(app, q);
    this.running.set(app, (this.running.get(app) ?? 0) + 1);
    return job;
  }

  finish(app: string): void {
    const n = (this.running.get(app) ?? 1) - 1;
    if (n > 0) this.running.set(app, n);
    else this.running.delete(app);
  }

  /** Every waiting job, removed (the host is stopping). */
  drain(): T[] {
    const all = [...this.waiting.values()].flat();
    this.waiting.clear();
    return all;
  }

  snapshot(): { running: Record<string, number>; waiting: Record<string, number> } {
    return {
      running: Object.fromEntries(this.running),
      waiting: Object.fromEntries([...this.waiting].map(([app, q]) => [app, q.length])),
    };
  }
}

/** Workers one app may occupy out of `workers`: never all of them once there are two. */
export function perAppCap(workers: number): number {
  return Math.max(1, Math.ceil(workers / 2));
}
