import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { followCli, runCli, startServer, type TestServer } from '../helpers/server.js';

describe('fazt logs (CLI)', () => {
  let s: TestServer;
  let app: { id: string };
  const children: ChildProcess[] = [];
  before(async () => {
    s = await startServer();
    app = s.kernel.services.apps.create('Shop', 'shop');
    s.kernel.services.logs.write({ appId: app.id, level: 'info', message: 'shop ready' });
    s.kernel.services.logs.write({ appId: app.id, level: 'error', message: 'card declined', fields: { orderId: 7 } });
  });
  after(async () => {
    for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
    await s.close();
  });

  it('prints lines oldest first, filtered by level', async () => {
    const all = await runCli(['logs', 'shop'], { dataDir: s.dataDir });
    assert.equal(all.code, 0, all.stderr);
    const lines = all.stdout.trim().split('\n');
    assert.equal(lines.length, 2);
    assert.match(lines[0], /INFO\s+shop\s+shop ready/);
    assert.match(lines[1], /ERROR\s+shop\s+card declined\s+\{"orderId":7\}/);

    const errors = await runCli(['logs', 'shop', '--level', 'error', '--json'], { dataDir: s.dataDir });
    assert.equal(errors.code, 0, errors.stderr);
    const parsed = errors.stdout.trim().split('\n').map((l) => JSON.parse(l));
    assert.deepEqual(parsed.map((l) => l.message), ['card declined']);
  });

  it('explains bad input with a usage exit code', async () => {
    const r = await runCli(['logs', 'shop', '--since', 'last-tuesday'], { dataDir: s.dataDir });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /since/);
    const missing = await runCli(['logs', 'nope'], { dataDir: s.dataDir });
    assert.equal(missing.code, 4);
  });

  it('-f streams a line written after it started', async () => {
    const cli = followCli(['logs', 'shop', '-f'], s.dataDir);
    const { child } = cli;
    children.push(child);
    // The recent lines arrive first, on the open stream.
    await cli.until(cli.out, (o) => o.includes('card declined'), 'the recent lines');
    assert.match(cli.err(), /Following logs of shop/);

    s.kernel.services.logs.write({ appId: app.id, level: 'warn', message: 'stock low', fields: { sku: 'A1' } });
    await cli.until(cli.out, (o) => o.includes('stock low'), 'the new line');
    assert.match(cli.out(), /WARN\s+shop\s+stock low\s+\{"sku":"A1"\}/);

    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    child.kill('SIGINT');
    assert.equal(await exited, 0);
  });
});
