import type { DB } from '../../store/db.js';

export interface AppAiGrant {
  /** The owner's daily cap for this app; null lets the manifest's (or the default) apply. */
  dailyUsd: number | null;
  grantedBy: string;
  grantedAt: string;
}

/**
 * Apps the owner allowed to call models. A manifest only asks: every call
 * spends the owner's money and sends the app's data to a provider, so a person
 * decides, as for event grants.
 */
export class AppAiGrants {
  constructor(private readonly db: DB) {}

  get(appId: string): AppAiGrant | null {
    const r = this.db.prepare('SELECT daily_usd, granted_by, granted_at FROM ai_app_grants WHERE app_id = ?').get(appId) as
      | { daily_usd: number | null; granted_by: string; granted_at: string }
      | undefined;
    return r ? { dailyUsd: r.daily_usd, grantedBy: r.granted_by, grantedAt: r.granted_at } : null;
  }

  grant(appId: string, dailyUsd: number | null, by: string): void {
    this.db
      .prepare('INSERT INTO ai_app_grants (app_id, daily_usd, granted_by, granted_at) VALUES (?, ?, ?, ?) ON CONFLICT(app_id) DO UPDATE SET daily_usd = excluded.daily_usd, granted_by = excluded.granted_by, granted_at = excluded.granted_at')
      .run(appId, dailyUsd, by, new Date().toISOString());
  }

  appIds(): string[] {
    return (this.db.prepare('SELECT app_id FROM ai_app_grants ORDER BY app_id').all() as { app_id: string }[]).map((r) => r.app_id);
  }

  revoke(appId: string): boolean {
    return this.db.prepare('DELETE FROM ai_app_grants WHERE app_id = ?').run(appId).changes > 0;
  }
}
