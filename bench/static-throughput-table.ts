/** Prints rows as a Markdown table (the first row is the header). */
export function table(rows: string[][]): void {
  const w = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  const line = (r: string[]) => '| ' + r.map((c, i) => c.padEnd(w[i])).join(' | ') + ' |';
  console.log(line(rows[0]));
  console.log('|' + w.map((n) => '-'.repeat(n + 2)).join('|') + '|');
  for (const r of rows.slice(1)) console.log(line(r));
}
