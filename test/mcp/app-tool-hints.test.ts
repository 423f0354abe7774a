import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startServer, type TestServer } from '../helpers/server.js';
import { connect } from './client.js';

const MAIN = `
fazt.mcp.tool('posts.list', { description: 'List posts', readOnly: true, handler: async () => fazt.app.ds.find('posts', {}) });
fazt.mcp.tool('posts.create', { description: 'Create a post', input: { title: 'string' }, handler: async (a) => fazt.app.ds.insert('posts', { title: a.title }) });
fazt.mcp.tool('posts.purge', { description: 'Delete every post', destructive: true, handler: async () => fazt.app.ds.delete('posts', {}) });
respond(200, {});
`;

describe('mcp: app tools are annotated like ops and named helpfully', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer();
    const d = await server.op('deploy', { app: 'notes', files: [{ path: 'api/main.js', content: MAIN }] });
    assert.equal(d.status, 200, JSON.stringify(d.body));
  });
  after(() => server.close());

  it('read tools are read-only, undeclared tools are writes (not destructive), declared destructive ones are', async () => {
    for (const [url, prefix] of [[`${server.url}/mcp/apps/notes`, ''], [`${server.url}/mcp`, 'notes_']] as const) {
      const client = await connect(url, { token: server.token });
      try {
        const { tools } = await client.listTools();
        const hints = (n: string) => {
          const a = tools.find((t) => t.name === prefix + n)?.annotations;
          assert.ok(a, `${url}: ${n}`);
          return [a.readOnlyHint, a.destructiveHint];
        };
        assert.deepEqual(hints('posts_list'), [true, false], url);
        assert.deepEqual(hints('posts_create'), [false, false], url);
        assert.deepEqual(hints('posts_purge'), [false, true], url);
      } finally {
        await client.close();
      }
    }
    const listed = await server.op('apps.tools.list', { app: 'notes' });
    assert.deepEqual(listed.body.tools.map((t: { name: string; destructive?: boolean }) => [t.name, t.destructive === true]), [
      ['posts.list', false], ['posts.create', false], ['posts.purge', true],
    ]);
  });

  it('a tool declared both read-only and destructive fails the deploy', async () => {
    const d = await server.op('deploy', { app: 'odd', files: [{ path: 'api/main.js', content: `fazt.mcp.tool('x', { readOnly: true, destructive: true, handler: async () => 1 }); respond(200, {});` }] });
    assert.equal(d.status, 400, JSON.stringify(d.body));
    assert.match(d.body.error.message, /'x'.*both read-only and destructive/);
  });

  it("calling a tool by its dotted name on the app endpoint suggests the MCP name", async () => {
    const client = await connect(`${server.url}/mcp/apps/notes`, { token: server.token });
    try {
      await assert.rejects(client.callTool({ name: 'posts.create', arguments: { title: 'x' } }), (err: Error) => {
        assert.match(err.message, /Unknown tool 'posts\.create' on app 'notes'; did you mean 'posts_create'\?/);
        return true;
      });
      await assert.rejects(client.callTool({ name: 'nothing', arguments: {} }), (err: Error) => {
        assert.match(err.message, /Unknown tool 'nothing' on app 'notes'\. Its tools: posts_list, posts_create, posts_purge/);
        return true;
      });
    } finally {
      await client.close();
    }
  });

  it('a tool declared destructive is gated like a destructive op: a token gets a halt, the owner in person runs it', async () => {
    const app = (await server.op('apps.get', { id: 'notes' })).body;
    const t = await server.op('tokens.create', { name: 'notes-writer', cap: [`app:${app.id}:*`] }, { human: true });
    assert.equal(t.status, 200, JSON.stringify(t.body));
    await server.op('apps.tools.call', { app: 'notes', tool: 'posts_create', args: { title: 'keep me' } }, { token: t.body.token });
    const halted = await server.op('apps.tools.call', { app: 'notes', tool: 'posts_purge', args: {} }, { token: t.body.token });
    assert.equal(halted.status, 202, JSON.stringify(halted.body));
    assert.match(halted.body.reason, /posts\.purge.*marks destructive/);
    const client = await connect(`${server.url}/mcp/apps/notes`, { token: t.body.token });
    try {
      const r = await client.callTool({ name: 'posts_purge', arguments: {} });
      assert.ok(r.isError);
      assert.match(JSON.stringify(r.content), /HALTED/);
    } finally {
      await client.close();
    }
    const kept = await server.op('apps.tools.call', { app: 'notes', tool: 'posts_list', args: {} }, { token: t.body.token });
    assert.equal(kept.body.result.length, 1, 'nothing was purged by the token');
    const done = await server.op('apps.tools.call', { app: 'notes', tool: 'posts_purge', args: {} }, { human: true });
    assert.equal(done.status, 200, JSON.stringify(done.body));
    assert.equal((await server.op('apps.tools.call', { app: 'notes', tool: 'posts_list', args: {} })).body.result.length, 0);
  });
});
