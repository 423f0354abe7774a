import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startServer, type TestServer } from '../helpers/server.js';
import { appRequest, deploy } from './app-client.js';

const ECHO = `respond(200, { method: request.method, path: request.path, query: request.query, body: request.body, files: request.files, ua: request.headers['x-test'] }, { 'x-app': 'echo' })`;

describe('runtime: request contract', () => {
  let s: TestServer;
  before(async () => {
    s = await startServer();
    assert.equal((await deploy(s, 'echo', { 'api/main.js': ECHO, 'manifest.json': '{"limits": {"maxBodyBytes": 2048}}' })).status, 200);
    assert.equal(
      (await deploy(s, 'mod', {
        'api/main.js': 'let hits = 0; export default async function (request) { hits++; globalThis.g = (globalThis.g || 0) + 1; await null; return { status: 201, body: { hits, g: globalThis.g, env: fazt.app.env.MODE }, headers: { "X-Mod": "1" } } }',
        'manifest.json': '{"env": {"MODE": "prod"}}',
      })).status,
      200,
    );
    assert.equal((await deploy(s, 'broken', { 'api/main.js': 'export default (req) => { if (req.query.v === "42") throw 42; if (req.query.v === "obj") throw {}; throw new Error("boom") }' })).status, 200);
  });
  after(() => s.close());

  it('passes method, path, query, lower-case headers and a JSON body', async () => {
    const r = await appRequest(s, 'echo', '/api/things/1?a=1&b=x&b=y', { method: 'POST', headers: { 'content-type': 'application/json', 'X-Test': 'hi' }, body: '{"n":1}' });
    assert.equal(r.status, 200);
    assert.equal(r.headers['x-app'], 'echo');
    assert.ok(r.headers['x-request-id']);
    assert.deepEqual(r.json, { method: 'POST', path: '/api/things/1', query: { a: '1', b: ['x', 'y'] }, body: { n: 1 }, files: [], ua: 'hi' });
  });

  it('parses form bodies and multipart uploads', async () => {
    const form = await appRequest(s, 'echo', '/api/f', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'title=Hello+there&tag=a&tag=b' });
    assert.deepEqual(form.json.body, { title: 'Hello there', tag: ['a', 'b'] });
    const b = 'XyZ123';
    const body = [`--${b}`, 'Content-Disposition: form-data; name="caption"', '', 'a cat', `--${b}`, 'Content-Disposition: form-data; name="photo"; filename="cat.txt"', 'Content-Type: text/plain', '', 'meow', `--${b}`, 'Content-Disposition: form-data; name="bin"; filename="x.bin"', 'Content-Type: application/octet-stream', '', '\u0001\u0002', `--${b}--`, ''].join('\r\n');
    const mp = await appRequest(s, 'echo', '/api/up', { method: 'POST', headers: { 'content-type': `multipart/form-data; boundary=${b}` }, body });
    assert.equal(mp.status, 200);
    assert.deepEqual(mp.json.body, { caption: 'a cat' });
    assert.deepEqual(mp.json.files, [
      { field: 'photo', filename: 'cat.txt', mime: 'text/plain', size: 4, data: 'meow', encoding: 'utf8' },
      { field: 'bin', filename: 'x.bin', mime: 'application/octet-stream', size: 2, data: 'AQI=', encoding: 'base64' },
    ]);
  });

  it('serves an ES module default export, with env and no state kept between requests', async () => {
    const a = await appRequest(s, 'mod', '/api/x');
    const b = await appRequest(s, 'mod', '/api/x');
    assert.equal(a.status, 201);
    assert.equal(a.headers['x-mod'], '1');
    assert.deepEqual(a.json, { hits: 1, g: 1, env: 'prod' });
    assert.deepEqual(b.json, { hits: 1, g: 1, env: 'prod' });
  });

  it('answers 413 above the body limit and 400 for invalid JSON', async () => {
    const big = await appRequest(s, 'echo', '/api/x', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'x'.repeat(5000) });
    assert.equal(big.status, 413);
    assert.equal(big.json.error.code, 'TOO_LARGE');
    const bad = await appRequest(s, 'echo', '/api/x', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"n":' });
    assert.equal(bad.status, 400);
    assert.match(bad.json.error.message, /not valid JSON/);
  });

  it('turns app errors (also thrown non-Errors) into 500 with a request id found in the logs', async () => {
    const errors: unknown[] = [];
    const off = s.kernel.events.on('system.app.error', (e) => errors.push(e.data));
    for (const [v, msg] of [['42', /Uncaught 42/], ['obj', /Uncaught \{\}/], ['e', /Error: boom/]] as const) {
      const r = await appRequest(s, 'broken', `/api/x?v=${v}`);
      assert.equal(r.status, 500);
      assert.equal(r.json.error.code, 'APP_ERROR');
      assert.match(r.json.error.message, msg);
      const requestId = r.json.error.requestId;
      assert.equal(r.headers['x-request-id'], requestId);
      s.kernel.services.logs.flush();
      const logs = await s.op('logs.query', { app: 'broken', level: 'error' });
      assert.equal(logs.status, 200);
      assert.ok(logs.body.entries.some((l: { requestId: string; message: string }) => l.requestId === requestId && msg.test(l.message)), JSON.stringify(logs.body));
    }
    off();
    assert.equal(errors.length, 3);
    assert.deepEqual(Object.keys(errors[0] as object).sort(), ['appId', 'kind', 'message', 'requestId', 'slug']);
  });

  it('leaves apps without api/main.js to the static server', async () => {
    await deploy(s, 'plain', { 'index.html': '<h1>hi</h1>' });
    const r = await appRequest(s, 'plain', '/api/x');
    assert.equal(r.status, 404);
  });
});
