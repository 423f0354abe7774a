#!/usr/bin/env node
// Runs the agent's evaluation (dist/test/agent/evaluation.js): incidents at each autonomy level, scored.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { sandboxNodeArgs } from '../bin/sandbox-node-args.js';

const r = spawnSync(process.execPath, [...sandboxNodeArgs(), join('dist', 'test', 'agent', 'evaluation.js')], { stdio: 'inherit' });
process.exit(r.status ?? 1);
