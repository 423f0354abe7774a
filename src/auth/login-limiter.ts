import type { DB } from '../store/db.js';

/** Failed sign-ins allowed before a lockout, the first lockout, its ceiling, and when old failures are forgotten. */
export const FREE_FAILURES = 5;
export const FIRST_LOCK_MS = 30_000;
export const MAX_LOCK_MS = 3_600_000;
const FORGET_MS = 3_600_000;

interface Row {
  failures: number;
  last_failure_at: string;
  locked_until: string | null;
}

/**
 * Sign-in lockout per client address, kept in the database so a restart does
 * not reset it. From the fifth failure on, each failure locks the address out,
 * for twice as long each time (30 s, 1 min, 2 min … up to an hour).
 */
export class LoginLimiter {
  constructor(private readonly db: DB) {}

  /** Milliseconds until `client` may try again; 0 when it may try now. */
  lockedFor(client: string, now = Date.now()): number {
    const r = this.row(client);
    if (!r?.locked_until) return 0;
    return Math.max(0, Date.parse(r.locked_until) - now);
  }

  /** Records a failure and returns the lockout it starts (0 when none). */
  fail(client: string, now = Date.now()): number {
    const r = this.row(client);
    const fresh = !r || now - Date.parse(r.last_failure_at) > FORGET_MS;
    const failures = fresh ? 1 : r.failures + 1;
    const lockMs = failures < FREE_FAILURES ? 0 : Math.min(MAX_LOCK_MS, FIRST_LOCK_MS * 2 ** (failures - FREE_FAILURES));
    this.db
      .prepare(
        `INSERT INTO login_failures (client, failures, last_failure_at, locked_until) VALUES (?, ?, ?, ?)
         ON CONFLICT(client) DO UPDATE SET failures = excluded.failures, last_failure_at = excluded.last_failure_at, locked_until = excluded.locked_until`,
      )
      .run(client, failures, new Date(now).toISOString(), lockMs ? new Date(now + lockMs).toISOString() : null);
    return lockMs;
  }

  succeed(client: string): void {
    this.db.prepare('DELETE FROM login_failures WHERE client = ?').run(client);
  }

  private row(client: string): Row | undefined {
    return this.db.prepare('SELECT failures, last_failure_at, locked_until FROM login_failures WHERE client = ?').get(client) as Row | undefined;
  }
}
