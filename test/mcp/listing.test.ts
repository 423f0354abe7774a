import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Client } from '@modelcontextprotocol/client';
import { startServer, type TestServer } from '../helpers/server.js';
import { connect, textOf } from './client.js';

const tool = (name: string) =>
  `fazt.mcp.tool('${name}', { description: 'Answers ${name}', readOnly: true, handler: async () => '${name}-answer' });\nexport default async () => ({ body: 'ok' });\n`;

describe('MCP listings: cached, without audit rows, and fresh after app changes', () => {
  let server: TestServer;
  let owner: Client;
  const auditRows = () => {
    server.kernel.audit.flush();
    return (server.kernel.db.prepare('SELECT count(*) AS n FROM audit').get() as { n: number }).n;
  };
  const names = async (c: Client = owner) => (await c.listTools()).tools.map((t) => t.name);
  const deploy = async (app: string, main?: string) => {
    const files = [{ path: 'index.html', content: app }, ...(main ? [{ path: 'api/main.js', content: main }] : [])];
    const d = await server.op('deploy', { app, files });
    assert.equal(d.status, 200, JSON.stringify(d.body));
    return d.body as { version: number };
  };

  before(async () => {
    server = await startServer();
    await deploy('alpha', tool('ping'));
    owner = await connect(`${server.url}/mcp`, { token: server.token });
  });
  after(async () => {
    await owner.close();
    await server.close();
  });

  it('tools/list, resources/list and completion write no audit rows; a tool call writes exactly one', async () => {
    await names();
    const before = auditRows();
    for (let i = 0; i < 5; i++) {
      assert.ok((await names()).includes('alpha_ping'));
      const { resources } = await owner.listResources();
      assert.ok(resources.some((r) => r.name === 'app-alpha'));
    }
    const done = await owner.complete({ ref: { type: 'ref/resource', uri: 'fazt://apps/{id}' }, argument: { name: 'id', value: 'al' } });
    assert.ok(done.completion.values.includes('alpha'));
    assert.equal(auditRows(), before, 'listing is not a call');

    const r = await owner.callTool({ name: 'alpha_ping', arguments: {} });
    assert.equal(textOf(r), JSON.stringify('ping-answer'));
    const rows = server.kernel.db.prepare('SELECT op, surface FROM audit WHERE id > (SELECT max(id) - 10 FROM audit) ORDER BY id').all() as { op: string; surface: string }[];
    assert.equal(auditRows(), before + 1);
    assert.deepEqual(rows.at(-1), { op: 'apps.tools.call', surface: 'mcp' });
  });

  it('a deploy, rollback or delete changes the owner list at once', async () => {
    await names();
    const v2 = await deploy('alpha', tool('pong'));
    let list = await names();
    assert.ok(list.includes('alpha_pong') && !list.includes('alpha_ping'), list.join(','));
    const rb = await server.op('deploy.rollback', { app: 'alpha', version: v2.version - 1 });
    assert.equal(rb.status, 200, JSON.stringify(rb.body));
    list = await names();
    assert.ok(list.includes('alpha_ping') && !list.includes('alpha_pong'), list.join(','));
    await deploy('beta', tool('hello'));
    assert.ok((await names()).includes('beta_hello'));
    const del = await server.op('apps.delete', { id: 'beta' }, { human: true });
    assert.equal(del.status, 200, JSON.stringify(del.body));
    assert.ok(!(await names()).includes('beta_hello'));
    const gone = await owner.callTool({ name: 'beta_hello', arguments: {} }).catch((e: Error) => e);
    assert.match(String(gone instanceof Error ? gone.message : textOf(gone)), /Unknown tool 'beta_hello'/);
  });

  it('an app endpoint lists from the same registrations and follows redeploys', async () => {
    const app = await connect(`${server.url}/mcp/apps/alpha`, { token: server.token });
    try {
      const before = auditRows();
      assert.deepEqual(await names(app), ['ping']);
      assert.equal(auditRows(), before);
      await deploy('alpha', tool('again'));
      assert.deepEqual(await names(app), ['again']);
    } finally {
      await app.close();
    }
  });

  it('tokens with the same capabilities see the same tools; a narrower one sees fewer and no app tools', async () => {
    const make = async (name: string, cap: string[]) => (await server.op('tokens.create', { name, cap }, { human: true })).body.token as string;
    const a = await connect(`${server.url}/mcp`, { token: await make('same-a', ['kernel:apps:read']) });
    const b = await connect(`${server.url}/mcp`, { token: await make('same-b', ['kernel:apps:read']) });
    const w = await connect(`${server.url}/mcp?tools=apps`, { token: await make('writer', ['kernel:apps:*']) });
    try {
      const [la, lb, lw] = [await names(a), await names(b), await names(w)];
      assert.deepEqual(la, lb);
      assert.ok(!la.some((n) => n.startsWith('alpha_')), 'app tools on the kernel endpoint are for the owner');
      assert.ok(lw.includes('apps_delete') && !la.includes('apps_delete'));
      assert.ok(lw.every((n) => n.startsWith('apps_')), lw.join(','));
    } finally {
      await Promise.all([a.close(), b.close(), w.close()]);
    }
  });
});
