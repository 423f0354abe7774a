import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ROOT } from '../helpers/paths.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { appRequest, deploy, readDir } from './app-client.js';

describe('runtime: app tools, resources and isolation', () => {
  let s: TestServer;
  before(async () => {
    // This test client plays the signed-in users' proxy (x-fazt-user), so loopback is trusted.
    s = await startServer({ trustedProxies: ['127.0.0.0/8', '::1'] });
    assert.equal((await deploy(s, 'blog', readDir(join(ROOT, 'examples', 'blog')))).status, 200);
  });
  after(() => s.close());

  it('serves the blog example over HTTP', async () => {
    const created = await appRequest(s, 'blog', '/api/posts', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"title":"First","body":"Hello"}' });
    assert.equal(created.status, 201);
    const list = await appRequest(s, 'blog', '/api/posts');
    assert.equal(list.json.title, 'My fazt blog');
    assert.deepEqual(list.json.posts.map((p: { title: string }) => p.title), ['First']);
    const one = await appRequest(s, 'blog', `/api/posts/${created.json.id}`);
    assert.equal(one.json.body, 'Hello');
  });

  it('lists and calls tools, reads resources', async () => {
    const tools = await s.op('apps.tools.list', { app: 'blog' });
    assert.deepEqual(tools.body.tools.map((t: { name: string }) => t.name), ['posts.create', 'posts.list']);
    assert.deepEqual(tools.body.tools[0].inputSchema.required, ['title', 'body']);
    const made = await s.op('apps.tools.call', { app: 'blog', tool: 'posts_create', args: { title: 'By tool', body: 'x' } });
    assert.equal(made.status, 200, JSON.stringify(made.body));
    const id = made.body.result.id;
    assert.equal(typeof id, 'string');
    const listed = await s.op('apps.tools.call', { app: 'blog', tool: 'posts.list', args: { limit: 5 } });
    assert.ok(listed.body.result.some((p: { id: string }) => p.id === id));
    const res = await s.op('apps.resources.list', { app: 'blog' });
    assert.deepEqual(res.body.resources, [{ uriTemplate: 'posts://{id}', description: 'Get a specific blog post' }]);
    const read = await s.op('apps.resources.read', { app: 'blog', uri: `posts://${id}` });
    assert.equal(read.status, 200);
    assert.equal(JSON.parse(read.body.text).title, 'By tool');
    assert.equal(read.body.mimeType, 'application/json');
  });

  it('validates tool args naming the field', async () => {
    const r = await s.op('apps.tools.call', { app: 'blog', tool: 'posts.create', args: { title: 3 } });
    assert.equal(r.status, 400);
    assert.match(r.body.error.message, /title must be string/);
    assert.match(r.body.error.message, /body is required/);
  });

  it('lets a read-only token call only read-only tools', async () => {
    const app = s.kernel.services.apps.get('blog');
    const token = s.kernel.tokens.create('reader', 'token', [`app:${app.id}:read`], null).token;
    const ok = await s.op('apps.tools.call', { app: 'blog', tool: 'posts.list', args: {} }, { token });
    assert.equal(ok.status, 200);
    const no = await s.op('apps.tools.call', { app: 'blog', tool: 'posts.create', args: { title: 'a', body: 'b' } }, { token });
    assert.equal(no.status, 403);
    assert.match(no.body.error.message, /needs app:.*:write/);
  });

  it('fails a deploy with an invalid registration and keeps the previous version serving', async () => {
    for (const [code, msg] of [
      ['fazt.mcp.tool("bad name!", { description: "x", handler: () => 1 }); export default () => ({ body: 2 })', /Invalid tool name 'bad name!'/],
      ['fazt.mcp.tool("t", { description: "x", input: { a: "text" }, handler: () => 1 }); export default () => ({ body: 2 })', /field 'a' has type 'text'/],
      ['export default function ( {', /SyntaxError/],
      ['fazt.events.on("app:other.*", () => {}); export default () => ({ body: 2 })', /only its own events/],
    ] as const) {
      const r = await deploy(s, 'blog', { 'api/main.js': code });
      assert.equal(r.status, 400, JSON.stringify(r.body));
      assert.match(r.body.error.message, msg);
    }
    const list = await appRequest(s, 'blog', '/api/posts');
    assert.equal(list.status, 200);
    assert.equal(list.json.title, 'My fazt blog');
  });

  it('keeps serving other apps while one runs away', async () => {
    await deploy(s, 'spin', { 'api/main.js': 'export default () => { while (true) {} }', 'manifest.json': '{"limits": {"timeoutMs": 300}}' });
    await deploy(s, 'calm', { 'api/main.js': 'export default () => ({ body: "fine" })' });
    const [spin, calm] = await Promise.all([appRequest(s, 'spin', '/api/x'), appRequest(s, 'calm', '/api/x')]);
    assert.equal(spin.status, 503);
    assert.equal(spin.json.error.code, 'APP_TIMEOUT');
    assert.equal(calm.status, 200);
    assert.equal(calm.text, 'fine');
    assert.equal((await appRequest(s, 'spin', '/api/x')).status, 503);
    assert.equal((await appRequest(s, 'calm', '/api/x')).text, 'fine');
  });

  it('scopes storage bindings to the app: no way to name another app', async () => {
    const blog = s.kernel.services.apps.get('blog');
    await deploy(s, 'owner', { 'api/main.js': 'export default () => { fazt.app.kv.set("secret", "mine"); fazt.app.ds.insert("notes", { n: 1 }); return { body: fazt.app.id } }' });
    const ownerId = (await appRequest(s, 'owner', '/api/x')).text;
    const thief = `export default (req) => {
      const tries = [];
      try { fazt.app.id = "${'${OWNER}'}"; } catch (e) { tries.push('id frozen'); }
      tries.push(fazt.app.kv.get("secret"));
      tries.push(fazt.app.ds.find("notes", { appId: "${'${OWNER}'}" }).length);
      tries.push(fazt.app.ds.find("notes", {}).length);
      tries.push(fazt.app.kv.list("").length);
      return { body: { tries, me: fazt.app.id } };
    }`.replaceAll('${OWNER}', ownerId);
    await deploy(s, 'thief', { 'api/main.js': thief });
    const r = await appRequest(s, 'thief', '/api/x');
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.json.tries, ['id frozen', null, 0, 0, 0]);
    assert.notEqual(r.json.me, ownerId);
    assert.notEqual(r.json.me, blog.id);
    assert.equal(s.kernel.services.kv.get({ appId: ownerId }, 'secret'), 'mine');
  });

  it('requires a signed-in user for fazt.app.user.*', async () => {
    await deploy(s, 'users', { 'api/main.js': 'export default (req) => { const n = (fazt.app.user.kv.get("n") || 0) + 1; fazt.app.user.kv.set("n", n); return { body: { n, user: fazt.app.user.id } } }' });
    const anon = await appRequest(s, 'users', '/api/x');
    assert.equal(anon.status, 500);
    assert.match(anon.json.error.message, /no signed-in user/);
    assert.deepEqual((await appRequest(s, 'users', '/api/x', { headers: { 'x-fazt-user': 'ann' } })).json, { n: 1, user: 'ann' });
    assert.deepEqual((await appRequest(s, 'users', '/api/x', { headers: { 'x-fazt-user': 'ann' } })).json, { n: 2, user: 'ann' });
    assert.deepEqual((await appRequest(s, 'users', '/api/x', { headers: { 'x-fazt-user': 'bob' } })).json, { n: 1, user: 'bob' });
  });

  it('runs fazt.events.on handlers for the app\'s own events', async () => {
    await deploy(s, 'ev', {
      'api/main.js': `fazt.events.on("app:ev.ping", (e) => { fazt.app.kv.set("got", e.data.n); });
        export default (req) => { if (req.query.emit) { fazt.events.emit("app:ev.ping", { n: 7 }); return { body: "sent" }; } return { body: { got: fazt.app.kv.get("got") } }; }`,
    });
    assert.equal((await appRequest(s, 'ev', '/api/x?emit=1')).text, 'sent');
    let got = null;
    for (let i = 0; i < 50 && got === null; i++) {
      got = (await appRequest(s, 'ev', '/api/x')).json.got;
      if (got === null) await new Promise((r) => setTimeout(r, 20));
    }
    assert.equal(got, 7);
  });
});
