import type { FaztEvent } from '../../events/bus.js';
import type { Metrics } from '../collectors/define.js';

export type Severity = 'info' | 'warning' | 'critical';
export type Health = 'healthy' | 'degraded' | 'critical';

export interface Issue {
  /** Stable identity: `<kind>:<subject>`, e.g. `disk.usage:/var/lib/fazt`, `app.errors:shop`. */
  key: string;
  severity: Severity;
  title: string;
  description: string;
  /** What to do, naming the op that would help (e.g. `logs.cleanup`). */
  recommendation: string;
  subject: string;
  /** Metric path the issue is about (usable with pulse.trend). */
  metric: string;
  value: number | null;
}

export interface Analysis {
  health: Health;
  summary: string;
  issues: Issue[];
  patterns: string[];
  security: string[];
  /** Which analyser produced it ('rules' without AI). */
  analyser: string;
}

/** What the analyser sees of one beat. */
export interface BeatFacts {
  at: string;
  metrics: Metrics;
  /** Collectors that failed or ran out of time, with the reason. */
  failed: Record<string, string>;
}

/** An earlier beat, newest last. */
export interface PastBeat {
  id: number;
  at: string;
  metrics: Metrics;
  issues: Issue[];
}

/**
 * Turns a beat into health, issues and patterns. The rule analyser is the default;
 * an AI analyser can implement the same interface without touching collectors or storage.
 */
export interface Analyser {
  readonly name: string;
  analyse(beat: BeatFacts, history: PastBeat[], events: FaztEvent[]): Analysis | Promise<Analysis>;
}

export const SEVERITY_RANK: Record<Severity, number> = { info: 0, warning: 1, critical: 2 };
