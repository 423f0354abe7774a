/** `*` matches any run of characters (including dots): `system.app.*`, `op.*`, `*`. */
export function patternToRegExp(pattern: string): RegExp {
  const body = pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*');
  return new RegExp(`^${body}$`);
}

export function matches(pattern: string, type: string): boolean {
  return pattern === '*' || pattern === type || patternToRegExp(pattern).test(type);
}
