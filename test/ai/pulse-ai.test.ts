import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startServer, type TestServer } from '../helpers/server.js';
import { connect, textOf } from '../mcp/client.js';
import { anthropicServer, type ContractServer } from './contract-servers.js';

describe('pulse with a model', () => {
  let s: TestServer;
  let anthropic: ContractServer;
  before(async () => {
    anthropic = await anthropicServer();
    s = await startServer();
    assert.equal((await s.op('pulse.beat', {})).status, 200);
  });
  after(async () => {
    await s.close();
    await anthropic.close();
  });

  it('answers pulse.ask by rules, without a rate limit, when no model is available', async () => {
    for (let i = 0; i < 3; i++) {
      const r = await s.op('pulse.ask', { question: 'how is my server doing?' });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.equal(r.body.analyser, 'rules');
      assert.equal(r.body.model, undefined);
    }
  });

  it("uses the MCP client's own model through sampling, and says which model answered", async () => {
    const seen: string[] = [];
    const client = await connect(`${s.url}/mcp`, {
      token: s.token,
      sample: (p) => {
        seen.push(p.systemPrompt ?? '', p.messages.map((m) => m.content.text).join(''));
        return { model: 'client-model-1', text: 'Healthy: http.errorRate is 0 and memory is steady.' };
      },
    });
    try {
      const r = await client.callTool({ name: 'pulse_ask', arguments: { question: 'how is my server doing?' } });
      assert.ok(!r.isError, textOf(r));
      const out = r.structuredContent as Record<string, unknown>;
      assert.equal(out.answer, 'Healthy: http.errorRate is 0 and memory is steady.');
      assert.equal(out.analyser, 'model');
      assert.equal(out.model, 'client/client-model-1');
      assert.match(seen[0], /CONTEXT only/);
      assert.match(seen[1], /QUESTION: how is my server doing\?/);
      assert.match(seen[1], /METRICS/);
    } finally {
      await client.close();
    }
  });

  it('answers with the configured provider, grounded in the context, and rate-limits model answers', async () => {
    assert.equal((await s.op('ai.providers.set', { provider: 'anthropic', apiKey: 'sk-ant-test-00000000000000000000', baseUrl: anthropic.url })).status, 200);
    await s.op('pulse.configure', { askPerMinute: 1 });
    const t = await s.op('tokens.create', { name: 'asker', cap: ['kernel:pulse:read'] }, { human: true });
    const token = t.body.token as string;
    anthropic.reply.text = 'Memory peaked at 60% (host.memory.percent); no errors.';
    const r = await s.op('pulse.ask', { question: 'what happened today?' }, { token });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.answer, anthropic.reply.text);
    assert.equal(r.body.model, 'anthropic/claude-sonnet-4-5');
    const sent = anthropic.received.at(-1)!.body;
    assert.match(JSON.stringify(sent.messages), /WINDOW:/);
    const again = await s.op('pulse.ask', { question: 'and now?' }, { token });
    assert.equal(again.status, 429, JSON.stringify(again.body));
  });

  it('falls back to the rule answer, saying why, when the model fails', async () => {
    await s.op('pulse.configure', { askPerMinute: 0 });
    anthropic.failNext({ status: 529, body: { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } } });
    const r = await s.op('pulse.ask', { question: 'how is my server doing?' });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.analyser, 'rules');
    assert.match(r.body.fallback, /anthropic answered 529/);
  });

  it('lets a model read each beat when the analyser is ai; the rules stay authoritative', async () => {
    assert.equal((await s.op('pulse.configure', { analyser: 'ai' })).body.analyser, 'ai');
    anthropic.reply.object = {
      health: 'healthy',
      summary: 'All quiet; one deploy in the last hour.',
      issues: [{ key: 'pattern.deploys:site', severity: 'info', title: 'Frequent deploys', description: 'Two deploys in an hour.', recommendation: 'None needed.', subject: 'site', metric: 'apps.count', value: 2 }],
      patterns: ['deploys cluster in the morning'],
      security: [],
    };
    try {
      const b = await s.op('pulse.beat', {});
      assert.equal(b.status, 200, JSON.stringify(b.body));
      assert.equal(b.body.summary, 'All quiet; one deploy in the last hour.');
      assert.ok(b.body.issues.some((i: { key: string }) => i.key === 'pattern.deploys:site'));
      assert.ok(b.body.patterns.includes('deploys cluster in the morning'));
      const status = await s.op('pulse.status', {});
      assert.match(JSON.stringify(status.body), /ai:anthropic\/claude-sonnet-4-5/);
    } finally {
      delete anthropic.reply.object;
    }
  });

  it('falls back to the rules on an invalid analysis or a failing model', async () => {
    anthropic.reply.object = { health: 'fine', summary: 3 };
    try {
      const invalid = await s.op('pulse.beat', {});
      assert.equal(invalid.status, 200);
      const st = await s.op('pulse.status', {});
      assert.match(JSON.stringify(st.body), /rules \(/);
    } finally {
      delete anthropic.reply.object;
    }
    anthropic.failNext({ status: 500, body: { type: 'error', error: { type: 'api_error', message: 'boom' } } });
    const failed = await s.op('pulse.beat', {});
    assert.equal(failed.status, 200);
    assert.match(JSON.stringify((await s.op('pulse.status', {})).body), /model unavailable: anthropic answered 500/);
    await s.op('pulse.configure', { analyser: 'rules' });
  });
});

describe('ai over MCP', () => {
  it('ai_complete returns the final text, with progress notifications while it streams', async () => {
    const anthropic = await anthropicServer();
    const s = await startServer();
    try {
      await s.op('ai.providers.set', { provider: 'anthropic', apiKey: 'sk-ant-test-00000000000000000000', baseUrl: anthropic.url });
      anthropic.reply.text = 'One two three four five six.';
      const client = await connect(`${s.url}/mcp`, { token: s.token });
      const progress: string[] = [];
      const r = await client.callTool({ name: 'ai_complete', arguments: { prompt: 'count' } }, {
        onprogress: (p: { message?: string }) => progress.push(p.message ?? ''),
      } as never);
      assert.ok(!r.isError, textOf(r));
      assert.equal((r.structuredContent as { text: string }).text, anthropic.reply.text);
      assert.equal(progress.join(''), anthropic.reply.text);
      await client.close();
    } finally {
      await s.close();
      await anthropic.close();
    }
  });
});
