import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { runCli, startServer, type TestServer } from '../helpers/server.js';
import { tempDir } from '../helpers/temp.js';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { BIN } from '../helpers/paths.js';
import { connect } from './client.js';

const INIT = { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 't', version: '1' } } };

describe('mcp: the ?tools= / --tools filter is checked', () => {
  let server: TestServer;
  before(async () => (server = await startServer()));
  after(() => server.close());

  const post = (query: string) =>
    fetch(`${server.url}/mcp${query}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${server.token}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: JSON.stringify(INIT),
    });

  it('an unknown group or name is a 400 that names the valid groups, before any session', async () => {
    for (const q of ['?tools=bogus', '?tools=apps,bogus']) {
      const r = await post(q);
      assert.equal(r.status, 400, q);
      assert.equal(r.headers.get('mcp-session-id'), null);
      const body = (await r.json()) as { error: { message: string } };
      assert.match(body.error.message, /Unknown tool group or name 'bogus'/);
      assert.match(body.error.message, /apps, .*deploy/);
    }
  });

  it('groups, op names and tool names all narrow the list', async () => {
    for (const [q, expected] of [['apps_list', ['apps_list']], ['apps.list', ['apps_list']], ['deploy.rollback,apps_get', ['apps_get', 'deploy_rollback']]] as const) {
      const client = await connect(`${server.url}/mcp?tools=${q}`, { token: server.token });
      try {
        const names = (await client.listTools()).tools.map((t) => t.name).sort();
        assert.deepEqual(names, expected, q);
      } finally {
        await client.close();
      }
    }
  });

  it('--tools with an unknown group, bridged to a running server, fails initialize with the server\'s reason', async () => {
    const transport = new StdioClientTransport({ command: process.execPath, args: [BIN, 'mcp', 'start', '--stdio', '--tools', 'bogus', '--data', server.dataDir], env: { ...process.env, FAZT_URL: '', FAZT_TOKEN: '' } as Record<string, string>, stderr: 'pipe' });
    const client = new Client({ name: 'bridge-test', version: '1' }, { capabilities: {} });
    try {
      await assert.rejects(client.connect(transport), (err: Error) => {
        assert.match(err.message, /Unknown tool group or name 'bogus'/);
        assert.doesNotMatch(err.message, /unreachable/);
        return true;
      });
    } finally {
      await client.close().catch(() => {});
    }
  });

  it('--tools with an unknown group on stdio exits with a usage error naming the valid groups', async () => {
    const tmp = tempDir();
    try {
      const r = await runCli(['mcp', 'start', '--stdio', '--tools', 'nope', '--data', tmp.dir]);
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, /Unknown tool group or name 'nope'/);
      assert.match(r.stderr, /apps, /);
      assert.equal(r.stdout, '', 'stdout carries only protocol');
    } finally {
      tmp.cleanup();
    }
  });
});
