import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startServer, type TestServer } from '../helpers/server.js';
import { connect, textOf, type Era } from '../mcp/client.js';

type Launched = { id: string; status: string; steps: { key: string; status: string; error?: { code: string; message: string } }[] };

/**
 * "Launch my notes app on a server of its own" from an MCP client that can ask its
 * user: the costly server step is confirmed in the client, with its price, inside the
 * same tool call, and no halt is left behind. A no stops the launch at that step.
 */
describe('apps_launch from a client that can ask its user', () => {
  let s: TestServer;
  before(async () => (s = await startServer()));
  after(() => s.close());

  const halts = async () => ((await s.op('halt.list', { status: 'all' }, { human: true })).body.halts as unknown[]).length;
  const servers = async () => ((await s.op('infra.vps.list', {})).body.servers as { id: string }[]).map((x) => x.id).sort();

  for (const era of ['2025', '2026'] as Era[]) {
    it(`${era}: the user is asked about the server with its price; yes finishes the launch in one call`, async () => {
      const asked: string[] = [];
      const client = await connect(`${s.url}/mcp`, { token: s.token, era, elicit: (p) => (asked.push(p.message), { action: 'accept', content: { decision: 'Approve' } }) });
      try {
        const name = `notes-${era}`;
        const r = await client.callTool({ name: 'apps_launch', arguments: { name, domain: `${name}.example.test`, vps: { provider: 'local', type: 'local', region: 'loopback' } } });
        assert.notEqual(r.isError, true, textOf(r));
        const plan = r.structuredContent as Launched;
        assert.equal(plan.status, 'done', JSON.stringify(plan, null, 1));
        assert.equal(asked.length, 1, asked.join('\n'));
        assert.match(asked[0], new RegExp(`Create local server '${name}' \\(local in loopback\\) for 0\\.00 USD/month`));
        assert.equal(await halts(), 0, 'confirmed in the client: no halt was stored');
        assert.ok((await servers()).includes(`local:${name}`));
      } finally {
        await client.close();
      }
    });
  }

  it('a no stops the launch at the server step, says so, and makes nothing', async () => {
    const client = await connect(`${s.url}/mcp`, { token: s.token, elicit: () => ({ action: 'decline' }) });
    try {
      const before = await servers();
      const r = await client.callTool({ name: 'apps_launch', arguments: { name: 'declined', domain: 'declined.example.test', vps: { provider: 'local', type: 'local', region: 'loopback' } } });
      const plan = r.structuredContent as Launched;
      assert.equal(plan.status, 'failed', textOf(r));
      const server = plan.steps.find((x) => x.key === 'server')!;
      assert.equal(server.error?.code, 'CANCELED');
      assert.match(server.error!.message, /Canceled by user/);
      assert.deepEqual(await servers(), before);
      assert.equal(await halts(), 0);
    } finally {
      await client.close();
    }
  });
});
