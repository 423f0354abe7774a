import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { runCli, startServer, type TestServer } from '../helpers/server.js';

let s: TestServer;
before(async () => (s = await startServer()));
after(() => s.close());

test('halt.preview words a gated call without running it, checking input and capability as the call would', async () => {
  const app = (await s.op('apps.create', { name: 'Kept' })).body as { id: string };
  const ok = await s.op('halt.preview', { op: 'apps.delete', args: { id: 'kept' } });
  assert.equal(ok.status, 200, JSON.stringify(ok.body));
  assert.equal(ok.body.reason, `Delete app 'kept' (${app.id}) with all its versions, files and data.`);
  assert.equal(ok.body.risk, 'destructive');
  assert.ok(s.kernel.services.apps.find('kept'), 'nothing ran');
  const bad = await s.op('halt.preview', { op: 'apps.delete', args: { id: 'kept', force: true } });
  assert.equal(bad.status, 400);
  assert.match(bad.body.error.message, /Unknown field 'force' for apps\.delete/);
  const { token } = s.kernel.tokens.create('reader', 'token', ['kernel:apps:read'], null);
  const denied = await s.op('halt.preview', { op: 'apps.delete', args: { id: 'kept' } }, { token });
  assert.equal(denied.status, 403);
  const cli = await runCli(['halt', 'preview', '--op', 'logs.cleanup', '--args', '{"olderThan": "7d"}'], { dataDir: s.dataDir });
  assert.equal(cli.code, 0, cli.stderr);
  assert.match(cli.stdout, /Delete log lines and access logs older than 7d of every app\./);
});
