import type { DB } from '../../store/db.js';

/**
 * Event patterns beyond its own namespace that the owner allowed an app to
 * receive. A manifest only asks (`"events": {"subscribe": [...]}`): another
 * app's events or the system's can carry data, so until a person grants the
 * pattern, the app's handlers for it are not subscribed.
 */
export class EventGrants {
  constructor(private readonly db: DB) {}

  list(appId: string): string[] {
    return (this.db.prepare('SELECT pattern FROM app_event_grants WHERE app_id = ? ORDER BY pattern').all(appId) as { pattern: string }[]).map((r) => r.pattern);
  }

  grant(appId: string, patterns: string[], by: string): void {
    const put = this.db.prepare('INSERT OR IGNORE INTO app_event_grants (app_id, pattern, granted_by, granted_at) VALUES (?, ?, ?, ?)');
    const at = new Date().toISOString();
    this.db.transaction(() => patterns.forEach((p) => put.run(appId, p, by, at)))();
  }

  revoke(appId: string, patterns: string[]): void {
    const del = this.db.prepare('DELETE FROM app_event_grants WHERE app_id = ? AND pattern = ?');
    this.db.transaction(() => patterns.forEach((p) => del.run(appId, p)))();
  }

  deleteApp(appId: string): void {
    this.db.prepare('DELETE FROM app_event_grants WHERE app_id = ?').run(appId);
  }
}
