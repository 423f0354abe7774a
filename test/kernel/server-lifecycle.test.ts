import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { readClientConfig } from '../../src/server/client-config.js';
import { runCli, spawnServer } from '../helpers/server.js';
import { tempDir } from '../helpers/temp.js';

test('first start: data.db, owner key printed once, 0600 client config; SIGTERM stops cleanly; restart keeps the key', async (t) => {
  const tmp = tempDir();
  try {
    const first = await spawnServer(tmp.dir, ['--no-example']);
    // Whatever fails below, never leave a server running (the runner would wait for it).
    t.after(() => first.stop());
    assert.match(first.url, /^http:\/\/127\.0\.0\.1:\d+$/, 'listens on 127.0.0.1 by default');
    const cfg = readClientConfig(tmp.dir)!;
    assert.ok((await first.waitForOutput(/fzt_\w+_\S+/)).includes(cfg.token), 'owner key printed on first start');
    assert.equal(statSync(join(tmp.dir, 'client.json')).mode & 0o777, 0o600);
    assert.ok(statSync(join(tmp.dir, 'data.db')).size > 0);

    const list = await runCli(['apps', 'list', '--json'], { dataDir: tmp.dir });
    assert.equal(list.code, 0, list.stderr);
    // A request in flight while the signal arrives still gets its answer.
    const inflight = fetch(`${first.url}/api/ops/apps.list`, { method: 'POST', headers: { authorization: `Bearer ${cfg.token}` }, body: '{}' })
      .then((r) => r.status)
      .catch(() => 'refused' as const);
    const code = await first.stop();
    assert.equal(code, 0);
    assert.match(first.output(), /fazt stopped/);
    const answered = await inflight;
    assert.ok(answered === 200 || answered === 'refused', `in-flight request got ${answered}`);

    const second = await spawnServer(tmp.dir, ['--no-example']);
    try {
      assert.ok(!(await second.waitForOutput(/API\s/)).includes(cfg.token), 'the key is never printed again');
      assert.equal(readClientConfig(tmp.dir)!.token, cfg.token);
      const again = await runCli(['apps', 'list', '--json'], { dataDir: tmp.dir });
      assert.equal(again.code, 0, again.stderr);
    } finally {
      await second.stop();
    }
  } finally {
    tmp.cleanup();
  }
});

test('bad server flags are refused before anything starts', async () => {
  const t = tempDir();
  try {
    const r = await runCli(['server', 'start', '--port', 'eighty'], { dataDir: t.dir });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--port must be a whole number/);
  } finally {
    t.cleanup();
  }
});
