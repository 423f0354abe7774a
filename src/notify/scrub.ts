/** Replaces every secret value (and a whsec_ key without its prefix) in a text a provider sent back. */
export function scrub(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) {
    for (const v of [s, s.replace(/^whsec_/, '')]) if (v.length >= 4) out = out.split(v).join('[redacted]');
  }
  return out;
}
