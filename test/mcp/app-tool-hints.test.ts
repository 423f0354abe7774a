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
});
