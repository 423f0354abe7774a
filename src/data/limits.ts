import { parseDuration } from '../auth/tokens.js';

/** Storage limits; each can be changed with `--set storage.<name>=<value>`. */
export interface StorageLimits {
  /** Largest kv value or document, as JSON bytes. */
  maxValueBytes: number;
  /** Largest blob. */
  maxBlobBytes: number;
  /** Equality lookups on one field before an index is created for it automatically; 0 turns auto-indexing off. */
  autoIndexAfter: number;
  /** Most field indexes the document store will create (each one slows writes a little). */
  maxIndexes: number;
  /** How often expired kv entries are purged. */
  sweepIntervalMs: number;
}

export const DEFAULT_LIMITS: StorageLimits = {
  maxValueBytes: 1024 * 1024,
  maxBlobBytes: 10 * 1024 * 1024,
  autoIndexAfter: 20,
  maxIndexes: 32,
  sweepIntervalMs: 60_000,
};

/** Reads `storage.*` settings from the server's extra config, falling back to defaults. */
export function limitsFromConfig(extra: Record<string, string>): StorageLimits {
  const num = (key: keyof StorageLimits): number => {
    const raw = extra[`storage.${key}`];
    if (raw === undefined) return DEFAULT_LIMITS[key];
    const n = key === 'sweepIntervalMs' ? (parseDuration(raw) ?? Number(raw)) : Number(raw);
    if (!Number.isFinite(n) || n < 0) throw new Error(`storage.${key} must be a non-negative number, got '${raw}'`);
    return n;
  };
  return {
    maxValueBytes: num('maxValueBytes'),
    maxBlobBytes: num('maxBlobBytes'),
    autoIndexAfter: num('autoIndexAfter'),
    maxIndexes: num('maxIndexes'),
    sweepIntervalMs: Math.max(1000, num('sweepIntervalMs')),
  };
}

/** HTTP body limit of ops that carry one stored value: the value limit plus room for the other fields. */
export function valueInputBytes(config: { extra: Record<string, string> }): number {
  return limitsFromConfig(config.extra).maxValueBytes + 64 * 1024;
}
