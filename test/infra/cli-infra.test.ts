import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { runCli, startServer, type TestServer } from '../helpers/server.js';

let s: TestServer;

before(async () => {
  s = await startServer();
});

after(async () => {
  await s.close();
});

test('CLI: fazt infra … commands come from the ops, with --json, --help and clear errors', async () => {
  const types = await runCli(['infra', 'vps', 'types', 'local', '--json'], { dataDir: s.dataDir });
  assert.equal(types.code, 0, types.stderr + types.stdout);
  assert.equal(JSON.parse(types.stdout).types[0].name, 'local');

  const help = await runCli(['infra', 'dns', 'set', '--help'], { dataDir: s.dataDir });
  assert.equal(help.code, 0);
  assert.match(help.stdout, /--zone/);
  assert.match(help.stdout, /--priority/);

  const setToken = await runCli(['infra', 'providers', 'set', '--provider', 'hetzner', '--api-token', 'hz-secret-cli-123', '--base-url', 'http://127.0.0.1:9/v1', '--json'], { dataDir: s.dataDir });
  assert.equal(setToken.code, 0, setToken.stderr);
  assert.ok(!setToken.stdout.includes('hz-secret-cli-123'));
  assert.match(JSON.parse(setToken.stdout).problem, /could not reach 127\.0\.0\.1:9/);

  const bad = await runCli(['infra', 'dns', 'set', '--zone', 'example.com', '--name', 'www', '--type', 'A', '--value', 'not-an-ip', '--provider', 'hetzner'], { dataDir: s.dataDir });
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /A record's value is an IPv4 address/);

  const unknown = await runCli(['infra', 'vps', 'types', 'vultr'], { dataDir: s.dataDir });
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /hetzner|digitalocean|local/);

  const down = await runCli(['infra', 'vps', 'regions', 'hetzner'], { dataDir: s.dataDir });
  assert.equal(down.code, 1);
  assert.match(down.stderr, /INFRA_PROVIDER_ERROR|could not reach 127\.0\.0\.1:9/);
});
