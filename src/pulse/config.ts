import { parseDuration } from '../auth/tokens.js';
import type { Kernel } from '../kernel/kernel.js';
import { OpError } from '../kernel/ops/errors.js';
import { DEFAULT_THRESHOLDS, type Thresholds } from './analysis/thresholds.js';

export interface PulseConfig {
  intervalMs: number;
  retentionMs: number;
  /** pulse.ask calls per minute per caller. */
  askPerMinute: number;
  thresholds: Thresholds;
  /** 'rules' (default) or 'ai': a model reads each beat, the rules stay authoritative. */
  analyser: 'rules' | 'ai';
}

/** What pulse.configure persists (settings key `pulse.config`). */
export interface StoredPulseConfig {
  interval?: string;
  retention?: string;
  askPerMinute?: number;
  thresholds?: Partial<Thresholds>;
  analyser?: 'rules' | 'ai';
}

export const SETTINGS_KEY = 'pulse.config';
export const MIN_INTERVAL_MS = 1000;
export const MAX_INTERVAL_MS = 24 * 3_600_000;
export const MAX_RETENTION_MS = 30 * 86_400_000;

export function parseInterval(text: string, field: string, min: number, max: number): number {
  const ms = parseDuration(text);
  if (ms === null || ms < min || ms > max) {
    throw new OpError('BAD_INPUT', `${field}: '${text}' must be a duration like 30s, 15m, 1h between ${fmtMs(min)} and ${fmtMs(max)}.`, {
      fields: [{ path: field, message: `expected a duration between ${fmtMs(min)} and ${fmtMs(max)}` }],
    });
  }
  return ms;
}

export function fmtMs(ms: number): string {
  if (ms % 86_400_000 === 0) return `${ms / 86_400_000}d`;
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  return `${ms / 1000}s`;
}

/**
 * Start flags (`--pulse-interval`, `--set pulse.retention=3d`) win at start-up; then
 * what pulse.configure saved; then defaults (15 min, 7 days, 1 ask/min).
 */
export function loadConfig(kernel: Kernel): PulseConfig {
  const saved = kernel.settings.get<StoredPulseConfig>(SETTINGS_KEY, {});
  const extra = kernel.config.extra;
  const pick = (flag: string | undefined, stored: string | undefined, def: string, field: string, min: number, max: number) => {
    for (const v of [flag, stored]) {
      if (v === undefined) continue;
      try {
        return parseInterval(v, field, min, max);
      } catch {
        process.emitWarning(`pulse: ignoring ${field}='${v}' (expected a duration like 30s, 15m, 1h)`);
      }
    }
    return parseInterval(def, field, min, max);
  };
  const askFlag = extra['pulse.ask.perMinute'] ?? extra['pulse.ask-per-minute'];
  return {
    intervalMs: pick(extra['pulse.interval'], saved.interval, '15m', 'interval', MIN_INTERVAL_MS, MAX_INTERVAL_MS),
    retentionMs: pick(extra['pulse.retention'], saved.retention, '7d', 'retention', 3_600_000, MAX_RETENTION_MS),
    askPerMinute: askFlag !== undefined && Number(askFlag) >= 0 ? Number(askFlag) : (saved.askPerMinute ?? 1),
    thresholds: { ...DEFAULT_THRESHOLDS, ...(saved.thresholds ?? {}) },
    analyser: saved.analyser ?? 'rules',
  };
}
