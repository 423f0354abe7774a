import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { BIN } from '../helpers/paths.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { tempDir } from '../helpers/temp.js';
import { connect, textOf } from './client.js';

async function stdioClient(args: string[], elicit?: boolean): Promise<{ client: Client; stderr: () => string }> {
  const transport = new StdioClientTransport({ command: process.execPath, args: [BIN, 'mcp', 'start', '--stdio', ...args], env: { ...process.env, FAZT_URL: '', FAZT_TOKEN: '' } as Record<string, string>, stderr: 'pipe' });
  let err = '';
  transport.stderr?.on('data', (d) => (err += d));
  const client = new Client({ name: 'stdio-test', version: '1' }, { capabilities: elicit ? { elicitation: { form: {} } } : {} });
  if (elicit) client.setRequestHandler('elicitation/create', async () => ({ action: 'accept', content: { decision: 'Approve' } }));
  await client.connect(transport);
  return { client, stderr: () => err };
}

describe('MCP transports', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer();
  });
  after(() => server.close());

  it('legacy HTTP+SSE: list and call', async () => {
    const client = await connect(`${server.url}/sse`, { token: server.token, sse: true });
    try {
      const { tools } = await client.listTools();
      assert.ok(tools.some((t) => t.name === 'apps_list'));
      const r = await client.callTool({ name: 'server_info', arguments: {} });
      assert.equal((r.structuredContent as { name: string }).name, 'fazt');
    } finally {
      await client.close();
    }
  });

  it('stdio bridges to the running server (elicitation passes through)', async () => {
    const { client, stderr } = await stdioClient(['--data', server.dataDir], true);
    try {
      const names = (await client.listTools()).tools.map((t) => t.name);
      assert.ok(names.includes('apps_delete'));
      await server.op('apps.create', { name: 'via-stdio' });
      const r = await client.callTool({ name: 'apps_delete', arguments: { id: 'via-stdio' } });
      assert.notEqual(r.isError, true, textOf(r));
      assert.equal((await server.op('apps.get', { id: 'via-stdio' })).status, 404);
      assert.match(stderr(), /bridging/);
    } finally {
      await client.close();
    }
  });

  it('stdio opens the database itself when no server runs; stdout carries only protocol', async () => {
    const tmp = tempDir();
    const s = await startServer({ dataDir: tmp.dir });
    await s.op('apps.create', { name: 'offline-app' });
    await s.close();
    const { client, stderr } = await stdioClient(['--data', tmp.dir]);
    try {
      const r = await client.callTool({ name: 'apps_list', arguments: {} });
      assert.ok((r.structuredContent as { apps: { slug: string }[] }).apps.some((a) => a.slug === 'offline-app'));
      const p = await client.getPrompt({ name: 'health-report' });
      assert.ok(p.messages.length > 0);
      assert.match(stderr(), /serving .* directly/);
    } finally {
      await client.close();
      tmp.cleanup();
    }
  });

  it('notifies subscribers of fazt://apps/{id} when the app is deployed', async () => {
    const created = await server.op('apps.create', { name: 'watched' });
    const id = created.body.id as string;
    const client = await connect(`${server.url}/mcp`, { token: server.token });
    try {
      const updated = new Promise<string>((resolve) => client.setNotificationHandler('notifications/resources/updated', (n) => resolve(n.params.uri)));
      await client.subscribeResource({ uri: `fazt://apps/${id}` });
      const d = await server.op('deploy', { app: 'watched', files: [{ path: 'index.html', content: '<h1>hi</h1>' }] });
      assert.equal(d.status, 200, JSON.stringify(d.body));
      assert.equal(await updated, `fazt://apps/${id}`);
    } finally {
      await client.close();
    }
  });
});
