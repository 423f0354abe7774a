/**
 * Capabilities are `:`-separated strings. A held capability ending in `*` covers
 * every capability that starts with the part before the `*` (`kernel:*` covers
 * `kernel:apps:write`); otherwise it must match exactly.
 */
const CAP_RE = /^[a-z0-9_*-]+(:[a-zA-Z0-9_.*-]+)*$/;

export function isValidCapability(cap: string): boolean {
  if (!CAP_RE.test(cap)) return false;
  const star = cap.indexOf('*');
  return star === -1 || star === cap.length - 1;
}

export function covers(held: string, needed: string): boolean {
  if (held === needed) return true;
  if (held === '*') return true;
  if (held.endsWith('*')) return needed.startsWith(held.slice(0, -1));
  return false;
}

export function holds(caps: readonly string[], needed: string): boolean {
  return caps.some((c) => covers(c, needed));
}

/** True when the caller holds at least one of `anyOf`. */
export function holdsAny(caps: readonly string[], anyOf: readonly string[]): boolean {
  return anyOf.some((n) => holds(caps, n));
}

/**
 * Could some value of the `{placeholder}` segments make `template` covered by `caps`?
 * Used to decide what a caller may *see* (tool lists) before any input exists.
 */
export function mayEverHold(caps: readonly string[], template: string): boolean {
  if (!template.includes('{')) return holds(caps, template);
  const re = new RegExp('^' + template.split(/\{[^}]+\}/).map(escapeRe).join('[^:]+') + '$');
  return caps.some((c) => {
    if (c === '*') return true;
    if (c.endsWith('*')) {
      const prefix = c.slice(0, -1);
      // Covered if the template's fixed prefix is compatible with the held prefix.
      const fixed = template.slice(0, template.indexOf('{'));
      return fixed.startsWith(prefix) || prefix.startsWith(fixed);
    }
    return re.test(c);
  });
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
