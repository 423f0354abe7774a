import type { DB } from '../store/db.js';
import type { Analysis } from './analysis/types.js';
import type { Metrics } from './collectors/define.js';

export interface CollectorStatus {
  ok: boolean;
  ms: number;
  error?: string;
}

export interface Beat {
  id: number;
  at: string;
  atMs: number;
  trigger: 'timer' | 'op' | 'status' | 'system';
  health: Analysis['health'];
  summary: string;
  metrics: Metrics;
  analysis: Analysis;
  collectors: Record<string, CollectorStatus>;
  cost: { wallMs: number; cpuMs: number };
}

interface Row {
  id: number; at: string; at_ms: number; trigger: Beat['trigger']; health: Beat['health']; summary: string;
  metrics: string; analysis: string; collectors: string; wall_ms: number; cpu_ms: number;
}

function fromRow(r: Row): Beat {
  return {
    id: r.id, at: r.at, atMs: r.at_ms, trigger: r.trigger, health: r.health, summary: r.summary,
    metrics: JSON.parse(r.metrics), analysis: JSON.parse(r.analysis), collectors: JSON.parse(r.collectors),
    cost: { wallMs: r.wall_ms, cpuMs: r.cpu_ms },
  };
}

/** Persisted beats. Reads order by time then id, so a clock that jumped back never reorders storage. */
export class BeatStore {
  constructor(private readonly db: DB) {}

  /**
   * Inserts a beat. The kernel's busy timeout is long (5 s) and blocks the event loop,
   * so this write waits at most `busyMs` and lets the caller retry later instead.
   */
  insert(b: Omit<Beat, 'id'>, busyMs = 200): number {
    const before = this.db.pragma('busy_timeout', { simple: true }) as number;
    this.db.pragma(`busy_timeout = ${busyMs}`);
    try {
      return Number(
        this.db
          .prepare(`INSERT INTO pulse_beats (at, at_ms, trigger, health, summary, metrics, analysis, collectors, wall_ms, cpu_ms)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
          .run(b.at, b.atMs, b.trigger, b.health, b.summary, JSON.stringify(b.metrics), JSON.stringify(b.analysis),
            JSON.stringify(b.collectors), b.cost.wallMs, b.cost.cpuMs).lastInsertRowid,
      );
    } finally {
      this.db.pragma(`busy_timeout = ${before}`);
    }
  }

  /** The most recently stored beats (by insertion), oldest first. */
  recent(n: number): Beat[] {
    return (this.db.prepare('SELECT * FROM pulse_beats ORDER BY id DESC LIMIT ?').all(n) as Row[]).map(fromRow).reverse();
  }

  latest(): Beat | undefined {
    return this.recent(1)[0];
  }

  /** Beats whose timestamp falls in [fromMs, toMs], in time order. */
  range(fromMs: number, toMs: number, limit = 5000): Beat[] {
    return (this.db.prepare('SELECT * FROM pulse_beats WHERE at_ms >= ? AND at_ms <= ? ORDER BY at_ms, id LIMIT ?').all(fromMs, toMs, limit) as Row[]).map(fromRow);
  }

  count(): number {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM pulse_beats').get() as { n: number }).n;
  }

  /** Deletes beats older than the cutoff; returns how many. */
  prune(olderThanMs: number, busyMs = 200): number {
    const before = this.db.pragma('busy_timeout', { simple: true }) as number;
    this.db.pragma(`busy_timeout = ${busyMs}`);
    try {
      return this.db.prepare('DELETE FROM pulse_beats WHERE at_ms < ?').run(olderThanMs).changes;
    } finally {
      this.db.pragma(`busy_timeout = ${before}`);
    }
  }
}
