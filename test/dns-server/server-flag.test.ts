import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { test } from 'node:test';
import { runCli, spawnServer } from '../helpers/server.js';
import { tempDir } from '../helpers/temp.js';
import { dig } from './dig.js';

test('fazt server start --dns-port: zones survive a restart and are answered from the database', async () => {
  const tmp = tempDir();
  try {
    let srv = await spawnServer(tmp.dir, ['--dns-port', '0', '--no-example']);
    let out = await srv.waitForOutput(/DNS +127\.0\.0\.1 port \d+/);
    let port = Number(/DNS +127\.0\.0\.1 port (\d+)/.exec(out)![1]);
    assert.equal((await dig(port, ['kept.test', 'SOA'])).status, 'REFUSED');
    assert.equal((await runCli(['dns', 'zones', 'create', 'kept.test'], { dataDir: tmp.dir })).code, 0);
    const set = await runCli(['dns', 'records', 'set', 'kept.test', '@', 'A', '192.0.2.44'], { dataDir: tmp.dir });
    assert.equal(set.code, 0, set.stderr);
    assert.deepEqual((await dig(port, ['kept.test', 'A'])).answer, ['kept.test. 300 IN A 192.0.2.44']);
    await srv.stop();

    srv = await spawnServer(tmp.dir, ['--dns-port', '0', '--no-example']);
    out = await srv.waitForOutput(/DNS +127\.0\.0\.1 port \d+/);
    port = Number(/DNS +127\.0\.0\.1 port (\d+)/.exec(out)![1]);
    const r = await dig(port, ['kept.test', 'A']);
    assert.ok(r.flags.includes('aa'));
    assert.deepEqual(r.answer, ['kept.test. 300 IN A 192.0.2.44']);
    await srv.stop();
  } finally {
    tmp.cleanup();
  }
});

test('fazt server start refuses a malformed --dns-port or FAZT_DNS_PORT, and a DNS port in use, saying so', async () => {
  const tmp = tempDir();
  const busy = createSocket('udp4');
  try {
    const r = await runCli(['server', 'start', '--port', '0', '--dns-port', 'fifty-three'], { dataDir: tmp.dir, killAfterMs: 15_000 });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--dns-port must be a whole number/);
    const env = await runCli(['server', 'start', '--port', '0'], { dataDir: tmp.dir, killAfterMs: 15_000, env: { FAZT_DNS_PORT: '99999' } });
    assert.equal(env.code, 2);
    assert.match(env.stderr, /FAZT_DNS_PORT must be a port 0-65535, got '99999'/);
    await new Promise<void>((res) => busy.bind(0, '127.0.0.1', () => res()));
    const taken = busy.address().port;
    const inUse = await runCli(['server', 'start', '--port', '0', '--dns-port', String(taken)], { dataDir: tmp.dir, killAfterMs: 15_000 });
    assert.equal(inUse.code, 1, inUse.stdout + inUse.stderr);
    assert.match(inUse.stderr, new RegExp(`Cannot answer DNS on 127\\.0\\.0\\.1:${taken}: the port is in use`));
    assert.doesNotMatch(inUse.stderr, /\n\s+at /, 'no stack trace');
  } finally {
    busy.close();
    tmp.cleanup();
  }
});
