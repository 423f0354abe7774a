import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startServer, type TestServer } from '../helpers/server.js';
import { connect, textOf, type Era } from './client.js';

const NAME_RE = /^[a-zA-Z0-9_-]{1,64}$/;

describe('mcp.kernel over Streamable HTTP', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer();
  });
  after(() => server.close());

  for (const era of ['2025', '2026'] as Era[]) {
    describe(`era ${era}`, () => {
      it('lists one valid tool per visible op, with annotations and schemas', async () => {
        const client = await connect(`${server.url}/mcp`, { token: server.token, era });
        try {
          const { tools } = await client.listTools();
          const names = tools.map((t) => t.name);
          for (const n of names) assert.match(n, NAME_RE);
          assert.ok(names.includes('apps_list'));
          assert.ok(names.includes('apps_delete'));
          assert.ok(names.includes('halt_status'));
          assert.ok(!names.includes('halt_approve'), 'no tool approves halts');
          assert.ok(!names.includes('tokens_create'), 'human-only ops are not tools');
          const list = tools.find((t) => t.name === 'apps_list')!;
          assert.equal(list.annotations?.readOnlyHint, true);
          assert.equal(list.inputSchema.type, 'object');
          assert.equal(list.outputSchema?.type, 'object');
          const del = tools.find((t) => t.name === 'apps_delete')!;
          assert.equal(del.annotations?.destructiveHint, true);
          assert.equal(del.annotations?.readOnlyHint, false);
          const create = tools.find((t) => t.name === 'apps_create')!;
          assert.equal(create.annotations?.destructiveHint, false);
        } finally {
          await client.close();
        }
      });

      it('calls a tool and returns structuredContent plus text; bad args name the field', async () => {
        const client = await connect(`${server.url}/mcp`, { token: server.token, era });
        try {
          const created = await client.callTool({ name: 'apps_create', arguments: { name: `Site ${era}` } });
          assert.notEqual(created.isError, true);
          assert.equal((created.structuredContent as { slug: string }).slug, `site-${era}`);
          const r = await client.callTool({ name: 'apps_list', arguments: {} });
          const apps = (r.structuredContent as { apps: { slug: string }[] }).apps;
          assert.ok(apps.some((a) => a.slug === `site-${era}`));
          assert.match(textOf(r), new RegExp(`site-${era}`));
          const bad = await client.callTool({ name: 'apps_get', arguments: { id: 42 } });
          assert.equal(bad.isError, true);
          assert.match(textOf(bad), /BAD_INPUT/);
          assert.match(textOf(bad), /\bid\b/);
        } finally {
          await client.close();
        }
      });

      it('reads resources and gets prompts', async () => {
        const client = await connect(`${server.url}/mcp`, { token: server.token, era });
        try {
          const { resources } = await client.listResources();
          assert.ok(resources.some((r) => r.uri === 'fazt://apps'));
          const { resourceTemplates } = await client.listResourceTemplates();
          assert.ok(resourceTemplates.some((t) => t.uriTemplate === 'fazt://apps/{id}'));
          const apps = await client.readResource({ uri: 'fazt://apps' });
          assert.match((apps.contents[0] as { text: string }).text, /"apps"/);
          const cfg = await client.readResource({ uri: 'fazt://config' });
          assert.match((cfg.contents[0] as { text: string }).text, /"domain"/);
          const one = await client.readResource({ uri: 'fazt://apps/admin' });
          assert.match((one.contents[0] as { text: string }).text, /"slug": "admin"/);
          const { prompts } = await client.listPrompts();
          assert.deepEqual(prompts.map((p) => p.name).sort(), ['agent-report', 'deploy-site', 'diagnose-app', 'health-report']);
          const p = await client.getPrompt({ name: 'diagnose-app', arguments: { app: 'admin' } });
          assert.match(JSON.stringify(p.messages), /apps_get/);
          const c = await client.complete({ ref: { type: 'ref/resource', uri: 'fazt://apps/{id}' }, argument: { name: 'id', value: 'site' } });
          assert.ok(c.completion.values.includes(`site-${era}`));
        } finally {
          await client.close();
        }
      });
    });
  }

  it('narrows the tool list with ?tools=', async () => {
    const client = await connect(`${server.url}/mcp?tools=apps`, { token: server.token });
    try {
      const { tools } = await client.listTools();
      assert.ok(tools.length > 0);
      for (const t of tools) assert.match(t.name, /^apps_/);
    } finally {
      await client.close();
    }
  });

  it('audits MCP calls with the surface, session and client', async () => {
    const client = await connect(`${server.url}/mcp`, { token: server.token });
    try {
      await client.callTool({ name: 'server_info', arguments: {} });
    } finally {
      await client.close();
    }
    const rows = server.kernel.audit.query({ surface: 'mcp', op: 'server.info' });
    assert.ok(rows.length >= 1);
    assert.match(rows[0].session?.client ?? '', /fazt-test/);
  });
});
