import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startServer, type TestServer } from '../helpers/server.js';
import { connect, textOf, type Era } from './client.js';

describe('halt over MCP', () => {
  let server: TestServer;
  let n = 0;
  before(async () => {
    server = await startServer();
  });
  after(() => server.close());

  async function newApp(): Promise<string> {
    const r = await server.op('apps.create', { name: `doomed-${++n}` });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    return r.body.slug;
  }
  const exists = async (slug: string) => (await server.op('apps.get', { id: slug })).status === 200;

  for (const era of ['2025', '2026'] as Era[]) {
    it(`${era}: elicitation accept runs the destructive call`, async () => {
      const slug = await newApp();
      const asked: string[] = [];
      const client = await connect(`${server.url}/mcp`, {
        token: server.token, era,
        elicit: (p) => (asked.push(p.message), { action: 'accept', content: { decision: 'Approve' } }),
      });
      try {
        const r = await client.callTool({ name: 'apps_delete', arguments: { id: slug } });
        assert.notEqual(r.isError, true, textOf(r));
        assert.equal((r.structuredContent as { deleted: boolean }).deleted, true);
        assert.equal(asked.length, 1);
        assert.match(asked[0], new RegExp(`Delete app '${slug}'`));
        assert.equal(await exists(slug), false);
      } finally {
        await client.close();
      }
    });

    it(`${era}: elicitation decline cancels with a clear tool error`, async () => {
      const slug = await newApp();
      const client = await connect(`${server.url}/mcp`, { token: server.token, era, elicit: () => ({ action: 'decline' }) });
      try {
        const r = await client.callTool({ name: 'apps_delete', arguments: { id: slug } });
        assert.equal(r.isError, true);
        assert.match(textOf(r), /^CANCELED: Canceled by user/);
        assert.equal(await exists(slug), true);
      } finally {
        await client.close();
      }
    });

    it(`${era}: an elicitation answered with garbage never runs the call`, async () => {
      const slug = await newApp();
      const client = await connect(`${server.url}/mcp`, { token: server.token, era, elicit: () => ({ action: 'accept', content: { decision: 'sure, whatever' } }) });
      try {
        const r = await client.callTool({ name: 'apps_delete', arguments: { id: slug } });
        assert.equal(r.isError, true);
        assert.match(textOf(r), /CANCELED|not understood|invalid|validation/i);
        assert.equal(await exists(slug), true);
      } finally {
        await client.close();
      }
    });

    it(`${era}: a client that cannot ask gets a pending halt the owner approves`, async () => {
      const slug = await newApp();
      const client = await connect(`${server.url}/mcp`, { token: server.token, era });
      try {
        const r = await client.callTool({ name: 'apps_delete', arguments: { id: slug } });
        assert.equal(r.isError, true);
        const m = /halt (halt_[a-f0-9]+)/.exec(textOf(r));
        assert.ok(m, textOf(r));
        assert.match(textOf(r), /fazt halt approve/);
        assert.equal(await exists(slug), true);
        const id = m[1];
        const pending = await client.callTool({ name: 'halt_status', arguments: { id } });
        assert.equal((pending.structuredContent as { status: string }).status, 'pending');
        const approved = await server.op('halt.approve', { id }, { human: true });
        assert.equal(approved.status, 200, JSON.stringify(approved.body));
        const done = await client.callTool({ name: 'halt_status', arguments: { id } });
        const h = done.structuredContent as { status: string; result: { deleted: boolean } };
        assert.equal(h.status, 'approved');
        assert.equal(h.result.deleted, true);
        assert.equal(await exists(slug), false);
      } finally {
        await client.close();
      }
    });
  }
});
