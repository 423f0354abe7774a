/** Per-invocation limits of app code. An app's manifest may only lower them; the owner may raise them within bounds. */
export interface SandboxLimits {
  /** Wall-clock budget of one invocation (request, tool call, event handler). */
  timeoutMs: number;
  /** Heap of one invocation; the app's WASM memory is capped just above it. */
  memoryMb: number;
  /** QuickJS stack; deep recursion fails cleanly at this depth. */
  stackKb: number;
  /** Largest response body (or tool result) an invocation may return. */
  maxOutputBytes: number;
  /** Largest request body /api/* accepts (413 above it). */
  maxBodyBytes: number;
}

export const DEFAULT_LIMITS: SandboxLimits = {
  timeoutMs: 5_000,
  memoryMb: 64,
  stackKb: 256,
  maxOutputBytes: 10 * 1024 * 1024,
  maxBodyBytes: 10 * 1024 * 1024,
};

/** Hard bounds: no setting, owner included, goes outside them. */
export const LIMIT_BOUNDS: Record<keyof SandboxLimits, [number, number]> = {
  timeoutMs: [10, 60_000],
  memoryMb: [8, 1024],
  stackKb: [64, 1024],
  maxOutputBytes: [1024, 100 * 1024 * 1024],
  maxBodyBytes: [0, 100 * 1024 * 1024],
};

/** A manifest value above what the app may use: it got `applied` instead. */
export interface ClampedLimit {
  key: keyof SandboxLimits;
  asked: number;
  applied: number;
}

const bounded = (key: keyof SandboxLimits, v: number): number => Math.min(LIMIT_BOUNDS[key][1], Math.max(LIMIT_BOUNDS[key][0], Math.floor(v)));

/**
 * Reads `"limits": {"timeoutMs": 2000, "memoryMb": 32, ...}` from a manifest. A
 * manifest can only lower a limit: anyone who may deploy writes it, so a value
 * above `ceiling` gets the ceiling and is reported in `clamped`.
 */
export function limitsFromManifest(manifest: Record<string, unknown> | undefined, ceiling: SandboxLimits = DEFAULT_LIMITS, clamped: ClampedLimit[] = []): SandboxLimits {
  const out = { ...ceiling };
  const raw = manifest?.limits;
  if (!raw || typeof raw !== 'object') return out;
  for (const key of Object.keys(LIMIT_BOUNDS) as (keyof SandboxLimits)[]) {
    const v = (raw as Record<string, unknown>)[key];
    if (typeof v !== 'number' || !Number.isFinite(v)) continue;
    if (v > ceiling[key]) clamped.push({ key, asked: v, applied: ceiling[key] });
    out[key] = Math.min(ceiling[key], bounded(key, v));
  }
  return out;
}

/** Server-wide defaults from config extras (`runtime.timeoutMs`, `runtime.memoryMb`, `runtime.maxBodyBytes`), within the hard bounds. */
export function limitsFromConfig(extra: Record<string, string>): SandboxLimits {
  const out = { ...DEFAULT_LIMITS };
  for (const key of Object.keys(LIMIT_BOUNDS) as (keyof SandboxLimits)[]) {
    const v = Number(extra[`runtime.${key}`]);
    if (extra[`runtime.${key}`] !== undefined && Number.isFinite(v)) out[key] = bounded(key, v);
  }
  return out;
}
