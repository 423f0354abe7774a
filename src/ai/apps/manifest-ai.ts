import { OpError } from '../../kernel/ops/errors.js';

/** What an app's manifest asks for under `"ai"`: `{"model"?, "provider"?, "dailyUsd"?}`. */
export interface AppAiRequest {
  model?: string;
  provider?: string;
  dailyUsd?: number;
}

const FIELDS = ['model', 'provider', 'dailyUsd'];

/**
 * Reads the manifest's `ai` entry; null when the app does not ask for models.
 * A malformed entry fails the deploy by name rather than being half-honoured.
 */
export function requestedAi(manifest: Record<string, unknown>): AppAiRequest | null {
  const v = manifest.ai;
  if (v === undefined || v === false) return null;
  if (v === true) return {};
  if (!v || typeof v !== 'object' || Array.isArray(v)) {
    throw new OpError('BAD_INPUT', 'manifest.json: "ai" must be true or an object like {"model": "…", "provider": "…", "dailyUsd": 1}.');
  }
  const o = v as Record<string, unknown>;
  const unknown = Object.keys(o).filter((k) => !FIELDS.includes(k));
  if (unknown.length) throw new OpError('BAD_INPUT', `manifest.json: "ai" has unknown field(s) ${unknown.join(', ')}; valid: ${FIELDS.join(', ')}.`);
  const out: AppAiRequest = {};
  for (const k of ['model', 'provider'] as const) {
    if (o[k] === undefined) continue;
    if (typeof o[k] !== 'string' || !o[k] || (o[k] as string).length > 200) throw new OpError('BAD_INPUT', `manifest.json: "ai.${k}" must be a non-empty string.`);
    out[k] = o[k] as string;
  }
  if (o.dailyUsd !== undefined) {
    if (typeof o.dailyUsd !== 'number' || !Number.isFinite(o.dailyUsd) || o.dailyUsd < 0 || o.dailyUsd > 10_000) {
      throw new OpError('BAD_INPUT', 'manifest.json: "ai.dailyUsd" must be a number of US dollars between 0 and 10000.');
    }
    out.dailyUsd = o.dailyUsd;
  }
  return out;
}
