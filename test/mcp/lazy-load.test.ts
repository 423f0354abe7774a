import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startServer, type TestServer } from '../helpers/server.js';
import { connect } from './client.js';

describe('MCP is loaded by its first request', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer();
  });
  after(() => server.close());

  it('a started server has not built its MCP endpoint; the first client loads it and is served', async () => {
    assert.throws(() => server.kernel.services.mcp.endpoint, /not loaded yet/);
    const client = await connect(`${server.url}/mcp`, { token: server.token });
    try {
      assert.ok((await client.listTools()).tools.some((t) => t.name === 'apps_list'));
      assert.ok(server.kernel.services.mcp.endpoint.sessionCount >= 1);
    } finally {
      await client.close();
    }
  });
});
