import type { Severity } from './types.js';

export interface Levels {
  warning?: number;
  critical?: number;
  /** 'above': higher is worse (memory %); 'below': lower is worse (days to cert expiry). */
  direction?: 'above' | 'below';
}

/**
 * Severity of `value` given levels and the severity the issue had last beat.
 * An issue is raised at its threshold but only clears (or steps down) once the value
 * is past `clearRatio` of it, so a metric hovering at a threshold does not flap.
 */
export function severityFor(value: number | null | undefined, levels: Levels, previous: Severity | undefined, clearRatio = 0.9): Severity | undefined {
  if (value === null || value === undefined || Number.isNaN(value)) return undefined;
  const below = levels.direction === 'below';
  const reached = (t: number | undefined, held: boolean) => {
    if (t === undefined) return false;
    const limit = held ? (below ? t / clearRatio : t * clearRatio) : t;
    return below ? value <= limit : value >= limit;
  };
  const rank = previous === 'critical' ? 2 : previous === 'warning' ? 1 : previous === 'info' ? 1 : 0;
  if (reached(levels.critical, rank >= 2)) return 'critical';
  if (reached(levels.warning, rank >= 1)) return 'warning';
  return undefined;
}
