import type { Surface } from '../kernel/ops/define.js';

/** One refused authentication, as the surface saw it. Never the presented token. */
export interface AuthFailure {
  /** The op asked for (`apps.list`), or the endpoint (`mcp`, `mcp.<slug>`). */
  op: string;
  surface: Surface;
  /** missing, malformed, unknown, revoked or expired. */
  reason: string;
  /** The socket's peer address. */
  ip: string;
  requestId?: string;
}

/** What the recorder writes: a row per failure, or one summary of those it held back. */
export type AuthFailureRow =
  | { kind: 'failure'; failure: AuthFailure }
  | { kind: 'summary'; ip: string; suppressed: number; reasons: Record<string, number>; from: string; to: string };

/** Op name of the summary rows. */
export const SUPPRESSED_OP = 'auth.suppressed';

export interface AuthFailureLimits {
  /** Rows a minute for one client address. */
  perIpPerMinute: number;
  /** Rows a minute for all clients together (a flood from many addresses). */
  totalPerMinute: number;
  /** Client addresses tracked a minute; more are counted together under '*'. */
  maxTrackedIps: number;
}

export const DEFAULT_AUTH_FAILURE_LIMITS: AuthFailureLimits = { perIpPerMinute: 20, totalPerMinute: 200, maxTrackedIps: 1000 };

interface Bucket {
  written: number;
  suppressed: number;
  reasons: Record<string, number>;
  from: string;
}

/**
 * Decides which refused authentications get a row of their own. Each client
 * address has a budget of rows a minute (and all together a larger one);
 * past it, failures are only counted, and the count is written as one summary
 * row per address when the minute ends or the log is read, so a flood of bad
 * tokens costs a few rows a minute yet every attempt is accounted for.
 */
export class AuthFailureRecorder {
  private window = -1;
  private total = 0;
  private buckets = new Map<string, Bucket>();
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly write: (row: AuthFailureRow) => void,
    private readonly limits: AuthFailureLimits = DEFAULT_AUTH_FAILURE_LIMITS,
    private readonly now: () => number = Date.now,
  ) {}

  /** True when the failure got its own row (the surface then logs the request too). */
  record(f: AuthFailure): boolean {
    const minute = Math.floor(this.now() / 60_000);
    if (minute !== this.window) {
      this.flush();
      this.window = minute;
      this.total = 0;
      this.buckets.clear();
    }
    const key = this.buckets.has(f.ip) || this.buckets.size < this.limits.maxTrackedIps ? f.ip : '*';
    let b = this.buckets.get(key);
    if (!b) this.buckets.set(key, (b = { written: 0, suppressed: 0, reasons: {}, from: '' }));
    if (b.written < this.limits.perIpPerMinute && this.total < this.limits.totalPerMinute && key !== '*') {
      b.written++;
      this.total++;
      this.write({ kind: 'failure', failure: f });
      return true;
    }
    if (!b.suppressed) b.from = new Date(this.now()).toISOString();
    b.suppressed++;
    b.reasons[f.reason] = (b.reasons[f.reason] ?? 0) + 1;
    this.schedule(minute);
    return false;
  }

  /** Writes a summary for every address with held-back failures; the minute's budgets stay spent. */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const to = new Date(this.now()).toISOString();
    for (const [ip, b] of this.buckets) {
      if (!b.suppressed) continue;
      this.write({ kind: 'summary', ip, suppressed: b.suppressed, reasons: b.reasons, from: b.from, to });
      b.suppressed = 0;
      b.reasons = {};
    }
  }

  /** The count should not wait for the next failure or read: write it when the minute ends. */
  private schedule(minute: number): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      try {
        this.flush();
      } catch (err) {
        process.emitWarning(`audit: suppressed authentication failures could not be written: ${(err as Error).message}`);
      }
    }, Math.max(0, (minute + 1) * 60_000 - this.now()));
    this.timer.unref();
  }
}
