import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { readClientConfig } from '../../src/server/client-config.js';
import { fetchWithHost, spawnServer, type SpawnedServer } from '../helpers/server.js';
import { tempDir } from '../helpers/temp.js';

/**
 * App code that hits a sandbox limit gets an error that names the limit, in
 * its response and in its logs, and the server's own output stays clean: a
 * real `fazt server start` in a child process, so its stderr can be read.
 */
describe('runtime: errors of app code that hits a sandbox limit', () => {
  const tmp = tempDir();
  let srv: SpawnedServer;
  let token: string;

  const op = async (name: string, input: unknown) => {
    const res = await fetch(`${srv.url}/api/ops/${name}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(input),
    });
    return { status: res.status, body: (await res.json()) as any };
  };
  const deploy = (app: string, code: string, manifest?: unknown) =>
    op('deploy', { app, files: [{ path: 'api/main.js', content: code }, ...(manifest ? [{ path: 'manifest.json', content: JSON.stringify(manifest) }] : [])] });
  const get = async (slug: string) => {
    const res = await fetchWithHost(srv.url, '/api/x', `${slug}.localhost`);
    const text = await res.text();
    return { status: res.status, text, json: JSON.parse(text) as any };
  };

  before(async () => {
    const dataDir = join(tmp.dir, 'data');
    srv = await spawnServer(dataDir, ['--no-example']);
    token = readClientConfig(dataDir)!.token;
  });
  after(async () => {
    await srv.stop();
    tmp.cleanup();
  });

  it('names the memory limit when an app runs out of memory building plain objects', async () => {
    const code = 'export default () => { const a = []; for (;;) a.push({ x: Math.random(), y: "k" + Math.random() }); }';
    assert.equal((await deploy('objs', code, { limits: { memoryMb: 16, timeoutMs: 60_000 } })).status, 200);
    const r = await get('objs');
    assert.equal(r.status, 503, r.text);
    assert.match(r.json.error.message, /memory limit of 16 MB/);
  });

  it('stops an app that sets too many timers at deploy time, naming the limit', async () => {
    const res = await deploy('timers', 'for (let i = 0; i < 1e6; i++) setTimeout(() => {}, 1); export default () => ({ body: 1 })');
    assert.equal(res.status, 400, JSON.stringify(res.body));
    assert.match(res.body.error.message, /too many timers: the limit is 10000 pending timers/);
  });

  it('stops a request that sets too many timers, naming the limit', async () => {
    assert.equal((await deploy('timers2', 'export default () => { for (let i = 0; i < 1e6; i++) setTimeout(() => {}, 1); return { body: 1 } }')).status, 200);
    const r = await get('timers2');
    assert.equal(r.status, 500, r.text);
    assert.match(r.json.error.message, /too many timers: the limit is 10000 pending timers/);
  });

  it('truncates a huge error message and says so', async () => {
    assert.equal((await deploy('huge', 'export default () => { throw new Error("x".repeat(50e6)) }')).status, 200);
    const r = await get('huge');
    assert.equal(r.status, 500);
    assert.match(r.json.error.message, /^Error: x{100}/);
    assert.match(r.json.error.message, /error message truncated to 4096 characters/);
    assert.ok(r.text.length < 10_000, `${r.text.length} bytes`);
    const res = await deploy('huge2', 'throw new Error("y".repeat(50e6)); export default () => 1');
    assert.equal(res.status, 400);
    assert.match(res.body.error.message, /error message truncated to 4096 characters/);
  });
  it('names the memory limit in the 503 and the app log, and prints no engine teardown noise', async () => {
    assert.equal((await deploy('bomb', 'export default () => { const a = []; for (;;) a.push(a.length); }')).status, 200);
    for (let i = 0; i < 2; i++) {
      const r = await get('bomb');
      assert.equal(r.status, 503, r.text);
      assert.equal(r.json.error.code, 'APP_MEMORY');
      assert.match(r.json.error.message, /memory limit of 64 MB/);
    }
    const logs = await op('logs.query', { app: 'bomb', level: 'error' });
    assert.ok(logs.body.entries.some((l: { message: string }) => /memory limit of 64 MB/.test(l.message)), JSON.stringify(logs.body));
    // Last test: worker output reaches the server's stderr asynchronously, so it is read once the server has exited.
    await srv.stop();
    assert.doesNotMatch(srv.output(), /Aborted\(/);
  });
});
