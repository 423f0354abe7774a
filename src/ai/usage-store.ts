import type { DB } from '../store/db.js';

export interface UsageRow {
  provider: string;
  model: string;
  appId: string | null;
  caller: string;
  kind: 'complete' | 'embed';
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  ms: number;
  outcome: 'ok' | 'error';
}

export interface UsageGroup {
  day: string;
  provider: string;
  model: string;
  app: string | null;
  calls: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
}

/** One row per model call, so spend is summed, never estimated. Days are UTC. */
export class UsageStore {
  private readonly insert;
  private readonly spentAll;
  private readonly spentApp;

  constructor(private readonly db: DB) {
    this.insert = db.prepare(
      `INSERT INTO ai_usage (at, day, provider, model, app_id, caller, kind, input_tokens, output_tokens, cost_usd, ms, outcome)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.spentAll = db.prepare('SELECT COALESCE(SUM(cost_usd), 0) AS s FROM ai_usage WHERE day = ?');
    this.spentApp = db.prepare('SELECT COALESCE(SUM(cost_usd), 0) AS s FROM ai_usage WHERE day = ? AND app_id = ?');
  }

  record(row: UsageRow, at = new Date()): void {
    this.insert.run(at.toISOString(), at.toISOString().slice(0, 10), row.provider, row.model, row.appId, row.caller, row.kind, row.inputTokens, row.outputTokens, row.costUsd, Math.round(row.ms), row.outcome);
  }

  /** USD spent today (UTC), by the whole server or by one app. */
  spentToday(appId?: string, now = new Date()): number {
    const day = now.toISOString().slice(0, 10);
    const r = (appId ? this.spentApp.get(day, appId) : this.spentAll.get(day)) as { s: number };
    return r.s;
  }

  summary(since: string, appId?: string): UsageGroup[] {
    const rows = this.db
      .prepare(
        `SELECT day, provider, model, app_id AS app, COUNT(*) AS calls, SUM(input_tokens) AS inputTokens,
                SUM(output_tokens) AS outputTokens, SUM(cost_usd) AS costUsd
         FROM ai_usage WHERE at >= ? AND (? IS NULL OR app_id = ?)
         GROUP BY day, provider, model, app_id ORDER BY day DESC, costUsd DESC`,
      )
      .all(since, appId ?? null, appId ?? null) as UsageGroup[];
    return rows.map((r) => ({ ...r, costUsd: Math.round(r.costUsd * 1e6) / 1e6 }));
  }
}
