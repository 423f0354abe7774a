import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { ROOT } from '../helpers/paths.js';

/**
 * The official MCP conformance suite (0.1.16, and 0.2.x for both protocol eras)
 * against `fazt mcp start --conformance`. Failures must be listed, with a reason,
 * in test/mcp/conformance-expected-failures.json; anything else fails this test.
 */
test('official MCP conformance suite: no unexpected failures', { timeout: 20 * 60_000 }, async () => {
  const child = spawn(process.execPath, [join(ROOT, 'scripts', 'conformance.mjs')], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  const summary = out.split('\n').filter((l) => /==|scenarios;|✗|!|conformance:/.test(l)).join('\n');
  console.log(summary);
  assert.equal(code, 0, `conformance reported unexpected failures:\n${out.slice(-4000)}`);
  assert.match(out, /conformance: no unexpected failures/);
  // Three runs (0.1.16, 0.2.x × two eras) each listed their scenarios.
  assert.equal((out.match(/scenarios; suite says/g) ?? []).length, 3);
});
