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

const LEVELS = ['read', 'write', '*'];
const FORMS = 'kernel:*, kernel:<area>:read|write|*, app:*, app:<id>:read|write|*';

/** The areas of `kernel:<area>:<level>` named by what ops require: the only areas a token can usefully hold. */
export function kernelAreas(requires: Iterable<string>): string[] {
  const areas = new Set<string>();
  for (const r of requires) {
    const m = /^kernel:([a-z0-9_-]+):/.exec(r);
    if (m) areas.add(m[1]);
  }
  return [...areas];
}

/**
 * Why `cap` is not something a token should hold, or undefined when it is one of
 * kernel:*, kernel:<area>:<level>, app:*, app:<app>:<level>. A capability that can
 * never match what an op requires would make a token that silently does nothing.
 */
export function capabilityProblem(cap: string, areas: readonly string[]): string | undefined {
  const parts = cap.split(':');
  const levelProblem = (level: string) =>
    LEVELS.includes(level) ? undefined : `'${cap}': the last part must be read, write or * (valid forms: ${FORMS})`;
  if (parts[0] === 'kernel') {
    if (parts.length === 2 && parts[1] === '*') return undefined;
    if (parts.length !== 3) return `'${cap}' is not a capability (valid forms: ${FORMS})`;
    if (!areas.includes(parts[1])) {
      const close = closest(parts[1], areas);
      return `'${cap}': unknown area '${parts[1]}'; areas: ${areas.join(', ')}${close ? ` (did you mean kernel:${close}:${parts[2]}?)` : ''}`;
    }
    return levelProblem(parts[2]);
  }
  if (parts[0] === 'app') {
    if (parts.length === 2 && parts[1] === '*') return undefined;
    if (parts.length !== 3 || !/^[A-Za-z0-9_-]+$/.test(parts[1])) return `'${cap}' is not a capability (valid forms: ${FORMS})`;
    return levelProblem(parts[2]);
  }
  return `'${cap}' is not a capability (valid forms: ${FORMS})`;
}

/** The area that differs from `word` by at most two letters (app → apps, strorage → storage). */
function closest(word: string, areas: readonly string[]): string | undefined {
  return areas.find((a) => a.startsWith(word) || word.startsWith(a)) ?? areas.find((a) => a.length === word.length && [...a].filter((c, i) => c !== word[i]).length <= 2);
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
