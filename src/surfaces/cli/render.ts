/** Human rendering of op output: a table for lists of records, aligned key/values otherwise. */
export function render(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value !== 'object') return String(value);
  if (Array.isArray(value)) return renderList(value);
  const entries = Object.entries(value as Record<string, unknown>);
  const lists = entries.filter(([, v]) => Array.isArray(v));
  if (lists.length === 1 && entries.length <= 3) {
    const [, list] = lists[0];
    const rest = entries.filter(([, v]) => !Array.isArray(v));
    const head = rest.map(([k, v]) => `${k}: ${scalar(v)}`).join('\n');
    return [head, renderList(list as unknown[])].filter(Boolean).join('\n');
  }
  return renderPairs(flatten(value as Record<string, unknown>));
}

/** Nested objects become dotted keys (`caller.name`), so a person reads values, not JSON. */
function flatten(obj: Record<string, unknown>, prefix = ''): [string, unknown][] {
  return Object.entries(obj).flatMap(([k, v]): [string, unknown][] => {
    const key = prefix + k;
    if (v && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length) return flatten(v as Record<string, unknown>, key + '.');
    return [[key, v]];
  });
}

/** Aligned `key  value` lines; a list of records is shown as an indented table under its key. */
function renderPairs(pairs: [string, unknown][]): string {
  const width = Math.max(...pairs.map(([k]) => k.length));
  return pairs
    .map(([k, v]) => {
      if (Array.isArray(v) && v.some((x) => x && typeof x === 'object')) return `${k}:\n${indent(renderList(v))}`;
      return `${k.padEnd(width)}  ${Array.isArray(v) ? v.join(', ') || '(none)' : scalar(v)}`;
    })
    .join('\n');
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((l) => '  ' + l)
    .join('\n');
}

function renderList(list: unknown[]): string {
  if (!list.length) return '(none)';
  if (list.every((x) => x && typeof x === 'object' && !Array.isArray(x))) {
    const rows = list as Record<string, unknown>[];
    const picked = [...new Set(rows.flatMap((r) => Object.keys(r)))].filter((c) => rows.some((r) => isShort(r[c]))).slice(0, 8);
    const longest = new Map(picked.map((c) => [c, Math.max(c.length, ...rows.map((r) => scalar(r[c]).length))]));
    // Long text (a step's detail, an error) goes last, where it can run to the end of the line uncut.
    const cols = [...picked.filter((c) => longest.get(c)! <= MAX_CELL), ...picked.filter((c) => longest.get(c)! > MAX_CELL)];
    const cells = rows.map((r) => cols.map((c) => scalar(r[c])));
    const widths = cols.map((c) => Math.min(MAX_CELL, longest.get(c)!));
    const last = cols.length - 1;
    const line = (vals: string[]) => vals.map((v, i) => (i === last ? v : truncate(v, widths[i]).padEnd(widths[i]))).join('  ').trimEnd();
    return [line(cols.map((c) => c.toUpperCase())), ...cells.map(line)].join('\n');
  }
  return list.map((x) => scalar(x)).join('\n');
}

const MAX_CELL = 48;

function isShort(v: unknown): boolean {
  return v === null || v === undefined || typeof v !== 'object' || (Array.isArray(v) && v.every((x) => typeof x !== 'object'));
}

function scalar(v: unknown): string {
  if (v === null || v === undefined) return '-';
  if (Array.isArray(v)) return v.join(',');
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

function truncate(s: string, n: number): string {
  return s.length > n ? s.slice(0, n - 1) + '…' : s;
}
