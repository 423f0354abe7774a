#!/usr/bin/env node
// Runs the official MCP conformance suite against `fazt mcp start --conformance`
// (build first: npm run build). Node 22 comes from the npm `node` package; only
// the npm registry is needed. Exit 1 on any failure not in the expected-failures file.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const NODE = 'node@22.12.0';
const RUNS = [
  { label: '0.1.16', pkg: '@modelcontextprotocol/conformance@0.1.16', args: [] },
  { label: '0.2.0-alpha.12 --requirements 2025-11-25', pkg: '@modelcontextprotocol/conformance@0.2.0-alpha.12', args: ['--requirements', '2025-11-25'] },
  { label: '0.2.0-alpha.12 --requirements 2026-07-28', pkg: '@modelcontextprotocol/conformance@0.2.0-alpha.12', args: ['--requirements', '2026-07-28'] },
];
const expected = JSON.parse(readFileSync(join(root, 'test/mcp/conformance-expected-failures.json'), 'utf8'));
const only = process.argv[2];

const fixture = spawn(process.execPath, [join(root, 'bin/fazt.js'), 'mcp', 'start', '--conformance', '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
const url = await new Promise((resolve, reject) => {
  let out = '';
  fixture.stdout.on('data', (d) => {
    out += d;
    const m = /(http:\/\/127\.0\.0\.1:\d+\/mcp)/.exec(out);
    if (m) resolve(m[1]);
  });
  fixture.once('exit', (c) => reject(new Error(`fixture server exited (${c})`)));
});

let bad = 0;
try {
  for (const run of RUNS) {
    if (only && !run.label.includes(only)) continue;
    const outDir = mkdtempSync(join(tmpdir(), 'fazt-conformance-'));
    console.log(`\n== conformance ${run.label} against ${url}`);
    const r = spawnSync('npx', ['-y', '-p', NODE, '-p', run.pkg, 'conformance', 'server', '--url', url, ...run.args, '-o', outDir], { encoding: 'utf8', timeout: 600_000 });
    if (r.status === null) throw new Error(`conformance ${run.label} did not finish: ${r.error?.message ?? r.signal}`);
    const allowed = expected[run.label] ?? {};
    const seen = new Set();
    for (const dir of readdirSync(outDir)) {
      const file = join(outDir, dir, 'checks.json');
      if (!existsSync(file)) continue;
      const scenario = dir.replace(/^server-/, '').replace(/-\d{4}-\d{2}-\d{2}T.*$/, '');
      seen.add(scenario);
      const checks = JSON.parse(readFileSync(file, 'utf8'));
      const failed = checks.filter((c) => c.status === 'FAILURE');
      // SHOULD-level misses do not fail the run, but stay visible.
      for (const w of checks.filter((c) => c.status === 'WARNING')) console.log(`  ~ ${scenario}: warning ${w.id}: ${(w.errorMessage ?? '').slice(0, 200)}`);
      // Zero checks is a vacuous pass: say so rather than count it.
      if (!checks.length) console.log(`  ? ${scenario}: no checks ran (vacuous)`);
      if (failed.length && !allowed[scenario]) {
        bad++;
        console.log(`  ✗ ${scenario}: ${failed.map((c) => c.errorMessage ?? c.name).join('; ').slice(0, 300)}`);
      } else if (failed.length) console.log(`  - ${scenario}: expected failure (${allowed[scenario]})`);
      else if (allowed[scenario]) console.log(`  ! ${scenario}: passes now; remove it from the expected failures`);
    }
    const summary = /Total: .*/.exec(r.stdout ?? '')?.[0] ?? '(no summary)';
    console.log(`  ${seen.size} scenarios; suite says ${summary}`);
    rmSync(outDir, { recursive: true, force: true });
  }
} finally {
  fixture.kill('SIGTERM');
}
console.log(bad ? `\n${bad} unexpected conformance failure(s)` : '\nconformance: no unexpected failures');
process.exit(bad ? 1 : 0);
