import type { CertRecord } from './cert-store.js';

const MAX_SLEEP_MS = 3600_000;

export interface RenewalHost {
  records(): CertRecord[];
  /** Renews or retries one certificate; failures are recorded by the host, not thrown. */
  attempt(domain: string): Promise<void>;
}

/** When a record next needs work, or undefined when it needs none. */
export function dueAt(r: CertRecord): number | undefined {
  if (r.source === 'imported' || r.status === 'revoked') return undefined;
  if (r.status === 'failed' || r.status === 'pending') return r.nextAttemptAt ? Date.parse(r.nextAttemptAt) : undefined;
  return r.renewAt ? Date.parse(r.renewAt) : undefined;
}

/**
 * Sleeps until the next renewal or retry is due (waking at least hourly, so a
 * changed clock or table is noticed), runs what is due one at a time, sleeps again.
 */
export class RenewalScheduler {
  private timer?: NodeJS.Timeout;
  private running = false;
  private stopped = false;

  constructor(
    private readonly host: RenewalHost,
    private readonly now: () => number = Date.now,
  ) {}

  arm(): void {
    if (this.stopped || this.running) return;
    clearTimeout(this.timer);
    const next = Math.min(...this.host.records().map(dueAt).filter((t): t is number => t !== undefined));
    const delay = Number.isFinite(next) ? Math.max(0, Math.min(next - this.now(), MAX_SLEEP_MS)) : MAX_SLEEP_MS;
    this.timer = setTimeout(() => void this.tick(), delay);
    this.timer.unref();
  }

  async tick(): Promise<void> {
    if (this.stopped || this.running) return;
    this.running = true;
    try {
      const now = this.now();
      for (const r of this.host.records()) {
        const due = dueAt(r);
        if (due !== undefined && due <= now && !this.stopped) await this.host.attempt(r.domain);
      }
    } finally {
      this.running = false;
      this.arm();
    }
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }
}
