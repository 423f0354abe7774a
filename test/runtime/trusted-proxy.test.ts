import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { runCli, startServer, type TestServer } from '../helpers/server.js';
import { tempDir } from '../helpers/temp.js';
import { appRequest, deploy } from './app-client.js';

/** Counts visits per signed-in user and shows what the app saw of the identity header. */
const WHO = `export default (req) => {
  let user = null, n = null;
  try { user = fazt.app.user.id; n = (fazt.app.user.kv.get("n") || 0) + 1; fazt.app.user.kv.set("n", n); } catch (e) { user = "none"; }
  return { body: { user, n, header: req.headers["x-fazt-user"] ?? null } };
}`;

async function serverWith(trustedProxies?: string[]): Promise<TestServer> {
  const s = await startServer(trustedProxies ? { trustedProxies } : {});
  assert.equal((await deploy(s, 'who', { 'api/main.js': WHO })).status, 200);
  return s;
}

describe('x-fazt-user: only a configured trusted proxy may name the user', () => {
  const servers: TestServer[] = [];
  after(() => Promise.all(servers.map((s) => s.close())));

  it('is stripped by default: a client cannot read another user\'s data, and the app never sees the header', async () => {
    const s = await serverWith();
    servers.push(s);
    const r = await appRequest(s, 'who', '/api/x', { headers: { 'x-fazt-user': 'alice' } });
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.json, { user: 'none', n: null, header: null });
  });

  it('is stripped when the peer is outside every trusted range', async () => {
    const s = await serverWith(['10.0.0.0/8', 'fd00::/8']);
    servers.push(s);
    const r = await appRequest(s, 'who', '/api/x', { headers: { 'x-fazt-user': 'alice' } });
    assert.deepEqual(r.json, { user: 'none', n: null, header: null });
  });

  it('is honoured from a trusted proxy, judged by the socket address whatever X-Forwarded-For says', async () => {
    const s = await serverWith(['127.0.0.0/8', '::1']);
    servers.push(s);
    const headers = { 'x-fazt-user': 'alice', 'x-forwarded-for': '203.0.113.7' };
    assert.deepEqual((await appRequest(s, 'who', '/api/x', { headers })).json, { user: 'alice', n: 1, header: 'alice' });
    assert.deepEqual((await appRequest(s, 'who', '/api/x', { headers })).json, { user: 'alice', n: 2, header: 'alice' });
  });
});

describe('--trusted-proxy and FAZT_TRUSTED_PROXY are validated at start', () => {
  let dir: ReturnType<typeof tempDir>;
  before(() => (dir = tempDir()));
  after(() => dir.cleanup());

  it('a malformed range stops the server with a message naming what is valid', async () => {
    const flag = await runCli(['server', 'start', '--port', '0', '--no-example', '--trusted-proxy', '10.0.0.0/8', '--trusted-proxy', '10.0.0.300/8'], { dataDir: dir.dir, killAfterMs: 15_000 });
    assert.equal(flag.code, 2, flag.stdout + flag.stderr);
    assert.match(flag.stderr, /--trusted-proxy: '10\.0\.0\.300\/8' is not an address range: use an IPv4 or IPv6 CIDR/);
    const bits = await runCli(['server', 'start', '--port', '0', '--no-example', '--trusted-proxy', 'fd00::/129'], { dataDir: dir.dir, killAfterMs: 15_000 });
    assert.equal(bits.code, 2);
    assert.match(bits.stderr, /\/0 to \/128/);
    const empty = await runCli(['server', 'start', '--port', '0', '--no-example', '--trusted-proxy', ''], { dataDir: dir.dir, killAfterMs: 15_000 });
    assert.equal(empty.code, 2, empty.stdout + empty.stderr);
    assert.match(empty.stderr, /--trusted-proxy: it takes a CIDR/);
    const env = await runCli(['server', 'start', '--port', '0', '--no-example'], { dataDir: dir.dir, env: { FAZT_TRUSTED_PROXY: '127.0.0.1/32,nope' }, killAfterMs: 15_000 });
    assert.equal(env.code, 2, env.stdout + env.stderr);
    assert.match(env.stderr, /FAZT_TRUSTED_PROXY: 'nope' is not an address range/);
  });
});
