import { OpError } from '../../kernel/ops/errors.js';

/** `posts://{id}` → a matcher returning `{id}` for `posts://42`, or null. `{name}` matches up to the next '/'. */
export function compileTemplate(template: string): (uri: string) => Record<string, string> | null {
  const names: string[] = [];
  const body = template
    .split(/(\{[^}]*\})/)
    .map((part) => {
      const m = /^\{([a-zA-Z_][a-zA-Z0-9_]*)\}$/.exec(part);
      if (m) return names.push(m[1]), '([^/]+)';
      if (part.includes('{') || part.includes('}')) throw new OpError('BAD_INPUT', `Invalid resource template '${template}': placeholders look like {name}.`);
      return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('');
  const re = new RegExp(`^${body}$`);
  return (uri) => {
    const m = re.exec(uri);
    if (!m) return null;
    const out: Record<string, string> = {};
    names.forEach((n, i) => {
      try {
        out[n] = decodeURIComponent(m[i + 1]);
      } catch {
        out[n] = m[i + 1];
      }
    });
    return out;
  };
}

/** A resource template must be `scheme://...` so clients can tell app resources apart. */
export function checkTemplate(template: string): void {
  if (!/^[a-zA-Z][a-zA-Z0-9+.-]*:\/\/\S*$/.test(template) || template.length > 512) {
    throw new OpError('BAD_INPUT', `Invalid resource template '${template}': use scheme://path with {placeholders}, e.g. posts://{id}.`);
  }
  compileTemplate(template);
}
