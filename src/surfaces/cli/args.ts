/** Parsed command line: positionals and flags (`--a b`, `--a=b`, `--flag`, `--no-flag`, repeated → array). */
export interface ParsedArgs {
  positionals: string[];
  flags: Record<string, string | string[] | boolean>;
}

/** Flags that never take a value, whatever follows them. */
const GLOBAL_BOOLEANS = new Set(['json', 'help', 'yes', 'follow', 'stdio']);
const SHORT: Record<string, string> = { h: 'help', y: 'yes', f: 'follow' };

export function parseArgs(argv: string[], booleans: Set<string> = new Set()): ParsedArgs {
  const positionals: string[] = [];
  const flags: ParsedArgs['flags'] = {};
  const put = (k: string, v: string | boolean) => {
    const prev = flags[k];
    if (prev === undefined || typeof prev === 'boolean' || typeof v === 'boolean') flags[k] = v;
    else flags[k] = Array.isArray(prev) ? [...prev, v] : [prev, v];
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (/^-[a-zA-Z]$/.test(a)) {
      put(SHORT[a[1]] ?? a[1], true);
      continue;
    }
    if (!a.startsWith('--') || a.length === 2) {
      positionals.push(a);
      continue;
    }
    const body = a.slice(2);
    const eq = body.indexOf('=');
    if (eq !== -1) {
      put(body.slice(0, eq), body.slice(eq + 1));
      continue;
    }
    const negated = body.startsWith('no-') ? body.slice(3) : undefined;
    if (negated && (booleans.has(negated) || GLOBAL_BOOLEANS.has(negated))) {
      put(negated, false);
      continue;
    }
    const isBool = GLOBAL_BOOLEANS.has(body) || booleans.has(body);
    const next = argv[i + 1];
    if (!isBool && next !== undefined && !(next.startsWith('--') && next.length > 2)) {
      put(body, next);
      i++;
    } else {
      put(body, true);
    }
  }
  return { positionals, flags };
}

export function flagString(flags: ParsedArgs['flags'], name: string): string | undefined {
  const v = flags[name];
  if (v === undefined || typeof v === 'boolean') return undefined;
  return Array.isArray(v) ? v[v.length - 1] : v;
}
