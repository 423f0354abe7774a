import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli, spawnServer } from '../helpers/server.js';
import { tempDir } from '../helpers/temp.js';
import { httpsRequest } from './tls-client.js';

test('fazt server start --https-port serves HTTPS; fazt ssl trust / list / provision and fazt apps domains work from the CLI', async () => {
  const dir = tempDir();
  const srv = await spawnServer(dir.dir, ['--https-port', '0', '--http-redirect', '--acme-email', 'me@example.com', '--no-example']);
  try {
    const out = await srv.waitForOutput(/HTTPS\s+port \d+/);
    const port = Number(/HTTPS\s+port (\d+)/.exec(out)![1]);
    assert.match(out, new RegExp(`HTTPS\\s+port ${port}: https://admin\\.localhost:${port}/`), 'the banner names the dashboard over HTTPS');
    const ca = readFileSync(join(dir.dir, 'local-ca.pem'), 'utf8');
    const health = await httpsRequest(port, 'localhost', '/api/health', { ca });
    assert.equal(health.status, 200);

    const trust = await runCli(['ssl', 'trust'], { dataDir: dir.dir });
    assert.equal(trust.code, 0, trust.stderr);
    assert.match(trust.stdout, /update-ca-certificates/);
    assert.match(trust.stdout, /security add-trusted-cert/);
    assert.match(trust.stdout, /certutil -addstore/);

    const add = await runCli(['apps', 'domains', 'add', 'root', 'home.test', '--json'], { dataDir: dir.dir });
    assert.equal(add.code, 0, add.stderr);
    assert.equal(JSON.parse(add.stdout).domain.domain, 'home.test');

    const list = await runCli(['ssl', 'list', '--json'], { dataDir: dir.dir });
    const body = JSON.parse(list.stdout);
    assert.equal(body.httpsPort, port);
    assert.ok(body.certificates.some((c: { domain: string }) => c.domain === 'localhost'));

    const cfg = JSON.parse((await runCli(['server', 'config', '--json'], { dataDir: dir.dir })).stdout);
    assert.equal(cfg.config.tls.acmeEmail, 'me@example.com');
    assert.equal(cfg.config.tls.httpRedirect, true);

    const bad = await runCli(['ssl', 'provision', '192.168.1.1'], { dataDir: dir.dir });
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /IP addresses cannot be custom domains/);
  } finally {
    await srv.stop();
    dir.cleanup();
  }
});

test('a malformed --https-port or --acme-directory is refused before anything starts', async () => {
  const dir = tempDir();
  try {
    const r = await runCli(['server', 'start', '--port', '0', '--https-port', 'abc'], { dataDir: dir.dir, killAfterMs: 15_000 });
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /ssl.httpsPort must be a port/);
    const d = await runCli(['server', 'start', '--port', '0', '--acme-directory', 'ftp://x'], { dataDir: dir.dir, killAfterMs: 15_000 });
    assert.notEqual(d.code, 0);
    assert.match(d.stderr, /--acme-directory/);
  } finally {
    dir.cleanup();
  }
});
