import type { DB } from '../../store/db.js';
import { nowIso } from '../../store/db.js';

/** Wrong TOTP codes a link survives; then it is spent, so a leaked link cannot be used to guess codes. */
export const MAX_FAILED_CODES = 5;

/** Single use: a link is claimed atomically before its decision runs. */
export class UsedLinks {
  constructor(private readonly db: DB) {}

  /** 'used': decided (or being decided); 'locked': too many wrong codes. */
  state(hash: string): 'fresh' | 'used' | 'locked' {
    const r = this.db.prepare('SELECT used_at, failed_codes FROM approval_links_used WHERE token_hash = ?').get(hash) as
      | { used_at: string | null; failed_codes: number }
      | undefined;
    if (!r) return 'fresh';
    if (r.used_at !== null) return 'used';
    return r.failed_codes >= MAX_FAILED_CODES ? 'locked' : 'fresh';
  }

  /** True for exactly one caller: the insert (or the update of a released claim) is one statement. */
  claim(hash: string, haltId: string, option: string): boolean {
    return (
      this.db
        .prepare(
          `INSERT INTO approval_links_used (token_hash, halt_id, option, used_at) VALUES (?, ?, ?, ?)
           ON CONFLICT(token_hash) DO UPDATE SET used_at = excluded.used_at
           WHERE approval_links_used.used_at IS NULL AND approval_links_used.failed_codes < ?`,
        )
        .run(hash, haltId, option, nowIso(), MAX_FAILED_CODES).changes === 1
    );
  }

  /** The decision did not happen (wrong code): the link may be tried again, up to the limit. */
  release(hash: string, wrongCode: boolean): void {
    this.db
      .prepare('UPDATE approval_links_used SET used_at = NULL, failed_codes = failed_codes + ? WHERE token_hash = ?')
      .run(wrongCode ? 1 : 0, hash);
  }

  /**
   * Claims a stopped process left behind: the link was claimed but its halt is
   * still pending, so the decision never ran. The links work again.
   */
  releaseUndecided(): number {
    return this.db
      .prepare(
        `UPDATE approval_links_used SET used_at = NULL
         WHERE used_at IS NOT NULL AND halt_id IN (SELECT id FROM halts WHERE status = 'pending')`,
      )
      .run().changes;
  }
}
