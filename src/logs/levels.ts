import type { LogLevel } from './api.js';

export const LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error'];

const RANK: Record<string, number> = { debug: 0, info: 1, warn: 2, error: 3 };

export function levelRank(level: string): number {
  return RANK[level] ?? 1;
}

/** Levels at or above `min` (a filter "level=warn" means warn and error). */
export function levelsFrom(min: LogLevel): LogLevel[] {
  return LEVELS.filter((l) => RANK[l] >= RANK[min]);
}

export function isLevel(v: unknown): v is LogLevel {
  return typeof v === 'string' && v in RANK;
}
