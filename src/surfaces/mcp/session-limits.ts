import { parseDuration } from '../../auth/tokens.js';
import { OpError } from '../../kernel/ops/errors.js';
import { wholeSetting } from '../../kernel/whole-setting.js';

/** How many 2025 (and legacy SSE) sessions may live at once, and how long an idle one lives. */
export interface SessionLimits {
  /** Sessions of every caller but the owner, across all endpoints. */
  max: number;
  /** The owner key's own reserve: never taken by other callers. */
  owner: number;
  /** Per caller: a token id, or a client IP (an IPv6 /64) for callers without a token. */
  perCaller: number;
  /** Sessions without a token on one endpoint (a public app's), whatever their IPs. */
  publicPerEndpoint: number;
  /** A session with no request for this long is closed. */
  idleMs: number;
  /** How often idle sessions are looked for. */
  sweepMs: number;
}

export const DEFAULT_SESSION_LIMITS: SessionLimits = {
  max: 1000,
  owner: 64,
  perCaller: 16,
  publicPerEndpoint: 128,
  idleMs: 10 * 60_000,
  sweepMs: 30_000,
};

const COUNTS = ['max', 'owner', 'perCaller', 'publicPerEndpoint'] as const;
const DURATIONS = { idleMs: 'idle', sweepMs: 'sweep' } as const;

/** Reads `mcp.sessions.*` settings (`max`, `owner`, `perCaller`, `publicPerEndpoint`, `idle=10m`, `sweep=30s`). */
export function sessionLimitsFromConfig(extra: Record<string, string>): SessionLimits {
  const limits = { ...DEFAULT_SESSION_LIMITS };
  for (const key of COUNTS) limits[key] = wholeSetting(extra, `mcp.sessions.${key}`, limits[key], 'whole number of sessions');
  for (const [key, name] of Object.entries(DURATIONS) as [keyof typeof DURATIONS, string][]) {
    const raw = extra[`mcp.sessions.${name}`];
    if (raw === undefined) continue;
    const ms = parseDuration(raw);
    if (ms === null || ms < 1000) throw new OpError('BAD_INPUT', `mcp.sessions.${name} must be a duration of at least 1s (e.g. 10m, 30s), got '${raw}'.`);
    limits[key] = ms;
  }
  return limits;
}
