/**
 * `.faztignore`: gitignore-style lines. `#` comments, `!` re-includes, a trailing
 * `/` matches only folders, a `/` elsewhere anchors the pattern at the root,
 * `*` and `?` stay inside one segment, `**` crosses segments.
 */
export interface IgnoreRule {
  re: RegExp;
  negate: boolean;
  dirOnly: boolean;
}

export function parseIgnore(text: string): IgnoreRule[] {
  const rules: IgnoreRule[] = [];
  for (let line of text.split(/\r?\n/)) {
    line = line.replace(/\s+$/, '');
    if (!line || line.startsWith('#')) continue;
    let negate = false;
    if (line.startsWith('!')) (negate = true), (line = line.slice(1));
    let dirOnly = false;
    if (line.endsWith('/')) (dirOnly = true), (line = line.slice(0, -1));
    const anchored = line.includes('/');
    line = line.replace(/^\//, '');
    if (!line) continue;
    const body = globToRegExp(line);
    rules.push({ re: new RegExp(anchored ? `^${body}$` : `(?:^|/)${body}$`), negate, dirOnly });
  }
  return rules;
}

function globToRegExp(glob: string): string {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*') {
      if (glob[i + 1] === '*') {
        i++;
        if (glob[i + 1] === '/') (i++, (out += '(?:.*/)?'));
        else out += '.*';
      } else out += '[^/]*';
    } else if (c === '?') out += '[^/]';
    else out += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return out;
}

/** The last matching rule decides, as in git. */
export function isIgnored(rules: IgnoreRule[], relPath: string, isDir: boolean): boolean {
  let ignored = false;
  for (const r of rules) {
    if (r.dirOnly && !isDir) continue;
    if (r.re.test(relPath)) ignored = !r.negate;
  }
  return ignored;
}
