#!/usr/bin/env node
// Runs every compiled benchmark in dist/bench one after another (or those matching the arguments).
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { sandboxNodeArgs } from '../bin/sandbox-node-args.js';

// Entry points only: other files in bench/ are shared pieces (baseline servers, table printers).
const BENCHES = [
  'static-throughput', 'deploy-site', 'idle-rss', 'runtime-hello', 'runtime-runaway', 'storage-kv-ds', 'logs-ingest', 'mcp-latency',
  'pulse-beat', 'pulse-hotpath', 'ai-overhead', 'form-parse', 'body-offload',
  'dns-server',
  'https-throughput',
  'backup',
  'agent-reaction',
];
const filter = process.argv.slice(2);
const present = new Set(readdirSync(join('dist', 'bench')));
const files = BENCHES.map((b) => `${b}.js`)
  .filter((f) => present.has(f))
  .filter((f) => !filter.length || filter.some((x) => f.includes(x)));
let failed = 0;
for (const f of files) {
  console.log(`\n### ${f}`);
  const r = spawnSync(process.execPath, [...sandboxNodeArgs(), '--expose-gc', join('dist', 'bench', f)], { stdio: 'inherit' });
  if (r.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
