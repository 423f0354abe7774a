import { OpError } from '../../kernel/ops/errors.js';

/**
 * How much one app may register. Every app's tools are listed to the owner's
 * MCP clients (and held in their context), so the count and the size of each
 * are bounded; only the server's settings (`--set runtime.maxTools=...`) change them.
 */
export interface RegistrationCaps {
  maxTools: number;
  maxResources: number;
  /** UTF-8 bytes of a tool's or resource's description. */
  maxDescriptionBytes: number;
  /** UTF-8 bytes of a tool's input schema, as JSON. */
  maxSchemaBytes: number;
}

export const DEFAULT_REGISTRATION_CAPS: RegistrationCaps = {
  maxTools: 64,
  maxResources: 64,
  maxDescriptionBytes: 2048,
  maxSchemaBytes: 16384,
};

export function registrationCapsFromConfig(extra: Record<string, string>): RegistrationCaps {
  const out = { ...DEFAULT_REGISTRATION_CAPS };
  for (const key of Object.keys(out) as (keyof RegistrationCaps)[]) {
    const raw = extra[`runtime.${key}`];
    if (raw === undefined) continue;
    const v = Number(raw);
    if (!Number.isInteger(v) || v < 0) throw new Error(`runtime.${key} must be a whole number of 0 or more, not '${raw}'`);
    out[key] = v;
  }
  return out;
}

/** Fails the deploy when an app registered more than `cap` of something. */
export function checkCount(count: number, cap: number, what: string, setting: keyof RegistrationCaps): void {
  if (count > cap) {
    throw new OpError('BAD_INPUT', `api/main.js registers ${count} ${what}; an app may have at most ${cap} (the server setting runtime.${setting}).`, { count, limit: cap });
  }
}

/** Fails the deploy when a description or schema is larger than its cap. */
export function checkSize(text: string, cap: number, where: string, what: string, setting: keyof RegistrationCaps): void {
  const bytes = Buffer.byteLength(text);
  if (bytes > cap) {
    throw new OpError('BAD_INPUT', `${where}: the ${what} is ${bytes} bytes; at most ${cap} bytes are allowed (the server setting runtime.${setting}).`, { bytes, limit: cap });
  }
}
