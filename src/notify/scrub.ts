/**
 * Replaces every secret value in a text a provider sent back: as stored, without
 * a whsec_ prefix, and URL-encoded (tokens sit in webhook URLs). Longest first,
 * so a whole URL goes before the token inside it.
 */
export function scrub(text: string, secrets: readonly string[]): string {
  const forms = secrets.flatMap((s) => [s, s.replace(/^whsec_/, '')]).flatMap((s) => [s, encodeURIComponent(s)]).filter((s) => s.length >= 4);
  let out = text;
  for (const s of [...new Set(forms)].sort((a, b) => b.length - a.length)) out = out.split(s).join('[redacted]');
  return out;
}
