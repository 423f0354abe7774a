import { wholeSetting } from '../../kernel/whole-setting.js';

/**
 * Caps on the shape of request bodies and query strings, so a small request cannot
 * make the parser (or everything that walks its result) do unbounded work.
 * Each can be changed with `--set http.<name>=<value>`.
 */
export interface BodyLimits {
  /** Most fields in a form body, query string or multipart body (parts, files included). */
  maxFormFields: number;
  /** Deepest nesting of arrays and objects in a JSON body. */
  maxJsonDepth: number;
}

export const DEFAULT_BODY_LIMITS: BodyLimits = { maxFormFields: 1000, maxJsonDepth: 64 };

/** Reads `http.maxFormFields` and `http.maxJsonDepth` from the server's extra config; a bad value stops start-up. */
export function bodyLimitsFromConfig(extra: Record<string, string>): BodyLimits {
  const num = (key: keyof BodyLimits): number => wholeSetting(extra, `http.${key}`, DEFAULT_BODY_LIMITS[key]);
  return { maxFormFields: num('maxFormFields'), maxJsonDepth: num('maxJsonDepth') };
}
