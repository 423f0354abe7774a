import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { TestServer } from '../helpers/server.js';
import { connect } from '../mcp/client.js';
import { agentServer, BAD_API, beat, deploy, GOOD_API, hit } from './helpers.js';

describe('the agent over MCP: tools, the journal resource and the agent-report prompt', () => {
  let s: TestServer;
  before(async () => {
    s = await agentServer();
    assert.equal((await deploy(s, 'shop', { 'api/main.js': GOOD_API })).status, 200);
    await hit(s, 'shop', 6);
    await beat(s);
    assert.equal((await deploy(s, 'shop', { 'api/main.js': BAD_API })).status, 200);
    await hit(s, 'shop', 8);
    await beat(s);
  });
  after(() => s.close());

  it('reads fazt://agent/journal and offers agent tools and the agent-report prompt', async () => {
    const client = await connect(`${s.url}/mcp`, { token: s.token });
    try {
      const tools = (await client.listTools()).tools.map((t) => t.name);
      for (const t of ['agent_status', 'agent_decisions', 'agent_explain', 'agent_configure', 'agent_pause', 'agent_resume']) assert.ok(tools.includes(t), t);
      const resources = (await client.listResources()).resources.map((r) => r.uri);
      assert.ok(resources.includes('fazt://agent/journal'));
      const journal = await client.readResource({ uri: 'fazt://agent/journal' });
      const body = JSON.parse((journal.contents[0] as { text: string }).text);
      const d = body.decisions.find((x: { kind: string }) => x.kind === 'bad-deploy');
      assert.equal(d.choice, 'act');
      const prompt = await client.getPrompt({ name: 'agent-report' });
      const text = JSON.stringify(prompt.messages);
      assert.match(text, /this week/);
      assert.match(text, /agent_decisions/);
      assert.match(text, /fazt:\/\/agent\/journal/);
    } finally {
      await client.close();
    }
  });
});
