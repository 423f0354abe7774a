/** Per-invocation limits of app code. An app's manifest may lower or raise them within bounds. */
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

const BOUNDS: Record<keyof SandboxLimits, [number, number]> = {
  timeoutMs: [10, 60_000],
  memoryMb: [8, 1024],
  stackKb: [64, 1024],
  maxOutputBytes: [1024, 100 * 1024 * 1024],
  maxBodyBytes: [0, 1024 * 1024 * 1024],
};

/** Reads `"limits": {"timeoutMs": 2000, "memoryMb": 32, ...}` from a manifest, clamped to sane bounds. */
export function limitsFromManifest(manifest: Record<string, unknown> | undefined, base: SandboxLimits = DEFAULT_LIMITS): SandboxLimits {
  const out = { ...base };
  const raw = manifest?.limits;
  if (!raw || typeof raw !== 'object') return out;
  for (const key of Object.keys(BOUNDS) as (keyof SandboxLimits)[]) {
    const v = (raw as Record<string, unknown>)[key];
    if (typeof v !== 'number' || !Number.isFinite(v)) continue;
    const [lo, hi] = BOUNDS[key];
    out[key] = Math.min(hi, Math.max(lo, Math.floor(v)));
  }
  return out;
}

/** Server-wide defaults from config extras (`runtime.timeoutMs`, `runtime.memoryMb`, `runtime.maxBodyBytes`). */
export function limitsFromConfig(extra: Record<string, string>): SandboxLimits {
  const limits: Record<string, unknown> = {};
  for (const key of Object.keys(BOUNDS)) if (extra[`runtime.${key}`] !== undefined) limits[key] = Number(extra[`runtime.${key}`]);
  return limitsFromManifest({ limits });
}
