/** `*` matches any run of characters (including dots): `system.app.*`, `op.*`, `*`. */
export function patternToRegExp(pattern: string): RegExp {
  const body = pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*');
  return new RegExp(`^${body}$`);
}

// Subscriptions reuse a handful of patterns on every emit: compile each once.
const compiled = new Map<string, RegExp>();
const MAX_COMPILED = 1000;

export function matches(pattern: string, type: string): boolean {
  if (pattern === '*' || pattern === type) return true;
  if (!pattern.includes('*')) return false;
  let re = compiled.get(pattern);
  if (!re) {
    if (compiled.size >= MAX_COMPILED) compiled.clear();
    compiled.set(pattern, (re = patternToRegExp(pattern)));
  }
  return re.test(type);
}
