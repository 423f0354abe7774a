/** 'www' in 'example.com' → 'www.example.com'; '@' → the apex. */
export function fqdn(name: string, zone: string): string {
  return name === '@' ? zone : `${name}.${zone}`;
}

/** 'www.example.com' (or 'www.example.com.') in 'example.com' → 'www'; the apex → '@'. */
export function relative(name: string, zone: string): string {
  const n = name.replace(/\.$/, '').toLowerCase();
  const z = zone.toLowerCase();
  if (n === z || n === '@' || n === '') return '@';
  return n.endsWith('.' + z) ? n.slice(0, -(z.length + 1)) : n;
}

/** Hostnames in values are compared and sent without the trailing dot. */
export function bareHost(v: string): string {
  return v.replace(/\.$/, '').toLowerCase();
}
