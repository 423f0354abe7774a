import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startServer, type TestServer } from '../helpers/server.js';
import { appRequest, deploy } from './app-client.js';

describe('access logs count the bytes of error responses', () => {
  let s: TestServer;
  before(async () => {
    s = await startServer();
    assert.equal((await deploy(s, 'broken', { 'api/main.js': 'export default () => { throw new Error("boom") }' })).status, 200);
    assert.equal((await deploy(s, 'small', { 'api/main.js': 'respond(200, {ok: true})', 'manifest.json': '{"limits": {"maxBodyBytes": 16}}' })).status, 200);
  });
  after(() => s.close());

  it('a 500 from a throwing app and a 413 record the bytes they sent', async () => {
    const failed = await appRequest(s, 'broken', '/api/x');
    assert.equal(failed.status, 500);
    const big = await appRequest(s, 'small', '/api/x', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'x'.repeat(100) });
    assert.equal(big.status, 413);
    for (const [app, reply] of [['broken', failed], ['small', big]] as const) {
      const logs = await s.op('logs.query', { kind: 'access', app });
      assert.equal(logs.status, 200, JSON.stringify(logs.body));
      const row = logs.body.entries.find((e: { path: string }) => e.path === '/api/x');
      assert.ok(row, JSON.stringify(logs.body));
      assert.equal(row.bytes, Buffer.byteLength(reply.text), `${app}: ${JSON.stringify(row)}`);
    }
  });

  it('a static 405 and 404 record the bytes they sent', async () => {
    const missing = await appRequest(s, 'broken', '/nope.html');
    assert.equal(missing.status, 404);
    const post = await appRequest(s, 'broken', '/index.html', { method: 'POST' });
    assert.equal(post.status, 405);
    const logs = await s.op('logs.query', { kind: 'access', app: 'broken' });
    for (const [path, reply] of [['/nope.html', missing], ['/index.html', post]] as const) {
      const row = logs.body.entries.find((e: { path: string }) => e.path === path);
      assert.ok(row, JSON.stringify(logs.body));
      assert.equal(row.bytes, Buffer.byteLength(reply.text), `${path}: ${JSON.stringify(row)}`);
    }
  });
});
