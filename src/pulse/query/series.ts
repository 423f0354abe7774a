import type { Beat } from '../beat-store.js';
import { flatten, valueAt } from '../metric-paths.js';

export interface Series {
  timestamps: string[];
  values: number[];
}

/** A metric over beats, in time order; beats without the metric are skipped. */
export function seriesOf(beats: Beat[], path: string): Series {
  const sorted = [...beats].sort((a, b) => a.atMs - b.atMs || a.id - b.id);
  const timestamps: string[] = [];
  const values: number[] = [];
  for (const b of sorted) {
    const v = valueAt(b.metrics, path);
    if (v === null) continue;
    timestamps.push(b.at);
    values.push(v);
  }
  return { timestamps, values };
}

export function statsOf(values: number[]): { min: number; max: number; avg: number; last: number } | null {
  if (!values.length) return null;
  const avg = values.reduce((a, b) => a + b, 0) / values.length;
  return { min: Math.min(...values), max: Math.max(...values), avg: Math.round(avg * 100) / 100, last: values[values.length - 1] };
}

/** Every metric path seen in these beats. */
export function knownPaths(beats: Beat[]): Set<string> {
  const s = new Set<string>();
  for (const b of beats) for (const p of Object.keys(flatten(b.metrics))) s.add(p);
  return s;
}
