import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { connect, textOf } from '../mcp/client.js';
import { fetchWithHost, spawnServer, startServer, type TestServer } from '../helpers/server.js';
import { tempDir } from '../helpers/temp.js';

let s: TestServer;
before(async () => (s = await startServer()));
after(() => s.close());

test('the start banner points to what exists: the dashboard (which answers) and the CLI', async (t) => {
  const tmp = tempDir();
  t.after(() => tmp.cleanup());
  const server = await spawnServer(tmp.dir, ['--no-example']);
  t.after(() => server.stop());
  const out = await server.waitForOutput(/Owner key/);
  const url = /dashboard\s+(http:\/\/admin\.localhost:\d+\/)/.exec(out)?.[1];
  assert.ok(url, out);
  const port = new URL(url).port;
  const page = await fetchWithHost(`http://127.0.0.1:${port}`, '/', `admin.localhost:${port}`);
  assert.equal(page.status, 200);
  assert.match(out, /fazt auth password set/);
  assert.match(out, /fazt --help/);
});

test('a person-only op refused to a token says to use fazt on the server, not a dashboard', async () => {
  const { token } = s.kernel.tokens.create('decider', 'token', ['kernel:halt:write'], null);
  const r = await s.op('halt.approve', { id: 'h_nope' }, { token });
  assert.equal(r.status, 403);
  assert.match(r.body.error.message, /fazt halt approve/);
  assert.doesNotMatch(r.body.error.message, /dashboard/i);
});

test('a halted MCP call tells the model the owner approves with fazt halt approve, not in a dashboard', async () => {
  await s.op('apps.create', { name: 'Halted' });
  const client = await connect(`${s.url}/mcp`, { token: s.token });
  try {
    const r = await client.callTool({ name: 'apps_delete', arguments: { id: 'halted' } });
    const text = textOf(r);
    assert.match(text, /HALTED/);
    assert.match(text, /fazt halt approve h/);
    assert.doesNotMatch(text, /dashboard/i);
  } finally {
    await client.close();
  }
});
