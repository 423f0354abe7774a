/** What fazt reads from an app's manifest.json; unknown keys are kept as they are. */
export interface Manifest {
  name?: string;
  spa?: boolean;
  [key: string]: unknown;
}

/**
 * Lenient: a BOM, trailing commas or a non-object never fail a deploy; the
 * manifest is just empty then.
 */
export function parseManifest(data: Buffer | undefined): Manifest {
  if (!data) return {};
  let text = data.toString('utf8').replace(/^\uFEFF/, '');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const v = JSON.parse(text) as unknown;
      return v && typeof v === 'object' && !Array.isArray(v) ? (v as Manifest) : {};
    } catch {
      text = text.replace(/,\s*([}\]])/g, '$1');
    }
  }
  return {};
}
