import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runCli, startServer, type TestServer } from '../helpers/server.js';
import { anthropicServer, openaiServer, type ContractServer } from './contract-servers.js';

const CANARY = 'sk-ant-canary-' + 'Q7w9E2r4T6y8U1i3O5p7A9s2D4f6';
const FAZT_TOKEN_IN_PROMPT = 'fzt_0123456789ab_' + 'Z'.repeat(43);

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const { createServer } = await import('node:net');
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address() as { port: number };
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

async function sse(s: TestServer, name: string, input: unknown): Promise<{ status: number; events: { event: string; data: any }[] }> {
  const res = await fetch(`${s.url}/api/ops/${name}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${s.token}`, 'content-type': 'application/json', accept: 'text/event-stream' },
    body: JSON.stringify(input),
  });
  const text = await res.text();
  const events = text
    .split('\n\n')
    .filter(Boolean)
    .map((f) => ({ event: /^event: (.*)$/m.exec(f)?.[1] ?? 'message', data: JSON.parse(/^data: (.*)$/m.exec(f)?.[1] ?? 'null') }));
  return { status: res.status, events };
}

describe('ai: Anthropic through the real provider, against a loopback Messages API', () => {
  let s: TestServer;
  let anthropic: ContractServer;
  before(async () => {
    anthropic = await anthropicServer();
    s = await startServer();
  });
  after(async () => {
    await s.close();
    await anthropic.close();
  });

  it('answers AI_NOT_CONFIGURED, naming the command, before any provider is set', async () => {
    const r = await s.op('ai.complete', { prompt: 'hello' });
    assert.equal(r.status, 503);
    assert.equal(r.body.error.code, 'AI_NOT_CONFIGURED');
    assert.match(r.body.error.message, /fazt ai providers set/);
  });

  it('stores the key encrypted and never shows it', async () => {
    const set = await s.op('ai.providers.set', { provider: 'anthropic', apiKey: CANARY, baseUrl: anthropic.url, defaultModel: 'claude-sonnet-4-5' });
    assert.equal(set.status, 200, JSON.stringify(set.body));
    assert.equal(set.body.hasKey, true);
    assert.equal(set.body.isDefault, true);
    const list = await s.op('ai.providers.list', {});
    assert.equal(list.body.providers[0].provider, 'anthropic');
    assert.ok(!JSON.stringify(list.body).includes('canary'));
  });

  it('completes a prompt, redacting secrets, and bills what the provider reported', async () => {
    anthropic.received.length = 0;
    const r = await s.op('ai.complete', { prompt: `Why is my app slow? My token is ${FAZT_TOKEN_IN_PROMPT} and password=Xk9#mQ2$vL7!pR4z`, system: 'Be brief.', maxTokens: 200 });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.text, 'All systems nominal.');
    assert.equal(r.body.provider, 'anthropic');
    assert.equal(r.body.model, 'claude-sonnet-4-5');
    assert.deepEqual(r.body.usage, { inputTokens: 1200, outputTokens: 300 });
    assert.equal(r.body.costUsd, (1200 * 3 + 300 * 15) / 1e6);
    const got = anthropic.received[0];
    assert.equal(got.headers['x-api-key'], CANARY);
    assert.equal(got.body.model, 'claude-sonnet-4-5');
    assert.equal(got.body.max_tokens, 200);
    const sent = JSON.stringify(got.body);
    assert.ok(!sent.includes(FAZT_TOKEN_IN_PROMPT), sent);
    assert.ok(!sent.includes('Xk9#mQ2$vL7!pR4z'), sent);
    assert.match(sent, /fzt_0123456789ab_\[redacted\]/);
    assert.match(sent, /Be brief\./);
  });

  it('streams text as Server-Sent Events over HTTP, then the result', async () => {
    anthropic.reply.text = 'Memory is at 81 percent; nothing else stands out.';
    const r = await sse(s, 'ai.complete', { prompt: 'how is my server doing?' });
    assert.equal(r.status, 200);
    const deltas = r.events.filter((e) => e.event === 'delta');
    assert.ok(deltas.length >= 5, `expected several deltas, got ${deltas.length}`);
    assert.equal(deltas.map((d) => d.data.text).join(''), anthropic.reply.text);
    const result = r.events.at(-1)!;
    assert.equal(result.event, 'result');
    assert.equal(result.data.text, anthropic.reply.text);
    assert.equal(anthropic.received.at(-1)!.body.stream, true);
  });

  it('prints the streamed answer at the terminal with fazt ai ask', async () => {
    anthropic.reply.text = 'Your shop app answers in 40 ms at p99.';
    const r = await runCli(['ai', 'ask', 'how fast is shop?'], { dataDir: s.dataDir });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.trim(), anthropic.reply.text);
    assert.match(r.stderr, /anthropic\/claude-sonnet-4-5, 1200 in \/ 300 out/);
  });

  it('returns a validated object for a JSON Schema', async () => {
    anthropic.reply.object = { health: 'degraded', reasons: ['memory'] };
    try {
      const r = await s.op('ai.complete', {
        prompt: 'classify',
        json: { type: 'object', properties: { health: { type: 'string', enum: ['healthy', 'degraded'] }, reasons: { type: 'array', items: { type: 'string' } } }, required: ['health', 'reasons'] },
      });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.deepEqual(r.body.object, { health: 'degraded', reasons: ['memory'] });
      assert.equal(r.body.text, undefined);
    } finally {
      delete anthropic.reply.object;
    }
  });

  it('maps 429 (with retry-after), 529 overloaded and 401 to AI_PROVIDER_ERROR and bills nothing for them', async () => {
    const before = (await s.op('ai.usage', {})).body;
    anthropic.failNext(
      { status: 429, headers: { 'retry-after': '17' }, body: { type: 'error', error: { type: 'rate_limit_error', message: 'Number of request tokens has exceeded your per-minute rate limit' } } },
      { status: 529, body: { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } } },
      { status: 401, body: { type: 'error', error: { type: 'authentication_error', message: 'invalid x-api-key' } } },
    );
    const limited = await s.op('ai.complete', { prompt: 'x' });
    assert.equal(limited.status, 502);
    assert.equal(limited.body.error.code, 'AI_PROVIDER_ERROR');
    assert.equal(limited.body.error.details.status, 429);
    assert.equal(limited.body.error.details.retryAfter, 17);
    assert.match(limited.body.error.message, /retry in 17 s/);
    const overloaded = await s.op('ai.complete', { prompt: 'x' });
    assert.equal(overloaded.body.error.details.status, 529);
    assert.match(overloaded.body.error.message, /retry later/);
    const denied = await s.op('ai.complete', { prompt: 'x' });
    assert.equal(denied.body.error.details.status, 401);
    assert.match(denied.body.error.message, /fazt ai providers set --provider anthropic/);
    const afterUsage = (await s.op('ai.usage', {})).body;
    assert.equal(afterUsage.totalUsd, before.totalUsd);
  });

  it('warns in pulse at 80 % of the daily cap', async () => {
    const today = (await s.op('ai.usage', {})).body.todayUsd as number;
    assert.ok(today > 0);
    assert.equal((await s.op('ai.budget.set', { dailyUsd: today / 0.9 })).status, 200);
    try {
      const beat = await s.op('pulse.beat', {});
      const issue = beat.body.issues.find((i: { key: string }) => i.key === 'ai.budget:server');
      assert.ok(issue, JSON.stringify(beat.body.issues));
      assert.equal(issue.severity, 'warning');
      assert.equal(beat.body.metrics.ai.todayUsd, Math.round(today * 1e4) / 1e4);
    } finally {
      await s.op('ai.budget.set', { dailyUsd: null });
    }
  });

  it('refuses past the daily cap with AI_BUDGET_EXCEEDED, saying what was spent and when it resets', async () => {
    assert.equal((await s.op('ai.budget.set', { dailyUsd: 0.001 })).status, 200);
    try {
      const r = await s.op('ai.complete', { prompt: 'x' });
      assert.equal(r.status, 429, JSON.stringify(r.body));
      assert.equal(r.body.error.code, 'AI_BUDGET_EXCEEDED');
      assert.ok(r.body.error.details.spentUsd >= 0.001);
      assert.match(r.body.error.details.resetsAt, /T00:00:00/);
    } finally {
      await s.op('ai.budget.set', { dailyUsd: null });
    }
  });

  it('refuses an unknown provider (listing the known ones) and an oversize prompt', async () => {
    const unknown = await s.op('ai.complete', { prompt: 'x', provider: 'skynet' });
    assert.equal(unknown.status, 400);
    assert.match(unknown.body.error.message, /anthropic, openai, google, ollama/);
    const unset = await s.op('ai.complete', { prompt: 'x', provider: 'openai' });
    assert.match(unset.body.error.message, /not configured; configured: anthropic/);
    const big = await s.op('ai.complete', { prompt: 'x'.repeat(200_001) });
    assert.equal(big.status, 413);
    assert.match(big.body.error.message, /limit is 200000/);
  });

  it('prices a model from an owner override and removes e-mails and IPs when asked', async () => {
    const set = await s.op('ai.configure', { prices: { 'claude-sonnet-4-5': { input: 10, output: 20 } }, redactEmails: true, redactIps: true });
    assert.equal(set.status, 200, JSON.stringify(set.body));
    try {
      const r = await s.op('ai.complete', { prompt: 'mail ops@example.com about 203.0.113.7' });
      assert.equal(r.body.costUsd, (1200 * 10 + 300 * 20) / 1e6);
      const sent = JSON.stringify(anthropic.received.at(-1)!.body);
      assert.ok(!sent.includes('ops@example.com') && !sent.includes('203.0.113.7'), sent);
    } finally {
      const back = await s.op('ai.configure', { prices: { 'claude-sonnet-4-5': null }, redactEmails: false, redactIps: false });
      assert.deepEqual(back.body, { prices: {}, redactEmails: false, redactIps: false });
    }
  });

  it('reports usage per provider, model and day', async () => {
    const r = await s.op('ai.usage', { since: '1h' });
    assert.equal(r.status, 200);
    const row = r.body.rows.find((x: { model: string }) => x.model === 'claude-sonnet-4-5');
    assert.ok(row.calls >= 4);
    assert.ok(row.inputTokens >= 4 * 1200);
    assert.ok(r.body.todayUsd > 0);
  });

  it('keeps the key out of data.db, the audit log, events and every answer', async () => {
    await s.op('ai.providers.set', { provider: 'anthropic', apiKey: CANARY });
    const audit = await s.op('audit.query', { limit: 1000 });
    assert.ok(!JSON.stringify(audit.body).includes(CANARY));
    assert.ok(!JSON.stringify((await s.op('events.list', {})).body).includes(CANARY));
    s.kernel.db.pragma('wal_checkpoint(TRUNCATE)');
    for (const f of ['data.db', 'data.db-wal']) {
      let bytes: Buffer;
      try {
        bytes = readFileSync(join(s.dataDir, f));
      } catch {
        continue;
      }
      assert.ok(!bytes.includes(CANARY), `${f} holds the key in plain text`);
    }
  });
});

describe('ai: OpenAI and Ollama through the real providers, against a loopback Chat Completions API', () => {
  let s: TestServer;
  let openai: ContractServer;
  before(async () => {
    openai = await openaiServer();
    s = await startServer();
    assert.equal((await s.op('ai.providers.set', { provider: 'openai', apiKey: 'sk-test-openai-key-000000000000', baseUrl: openai.url })).status, 200);
    assert.equal((await s.op('ai.providers.set', { provider: 'ollama', baseUrl: openai.url, defaultModel: 'llama3.2' })).status, 200);
  });
  after(async () => {
    await s.close();
    await openai.close();
  });

  it('completes with Chat Completions and prices the default model', async () => {
    const r = await s.op('ai.complete', { prompt: 'hi', temperature: 0.2 });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.provider, 'openai');
    assert.equal(r.body.model, 'gpt-4.1-mini');
    assert.equal(r.body.costUsd, (1200 * 0.4 + 300 * 1.6) / 1e6);
    const got = openai.received.at(-1)!;
    assert.equal(got.path, '/v1/chat/completions');
    assert.equal(got.headers.authorization, 'Bearer sk-test-openai-key-000000000000');
    assert.equal(got.body.temperature, 0.2);
  });

  it('streams chat.completion.chunk frames and reads the usage chunk', async () => {
    const r = await sse(s, 'ai.complete', { prompt: 'hi' });
    const result = r.events.at(-1)!;
    assert.equal(result.event, 'result', JSON.stringify(r.events));
    assert.equal(result.data.text, openai.reply.text);
    assert.deepEqual(result.data.usage, { inputTokens: 1200, outputTokens: 300 });
    assert.equal(openai.received.at(-1)!.body.stream_options.include_usage, true);
  });

  it('embeds texts', async () => {
    const r = await s.op('ai.embed', { texts: ['alpha beta', 'gamma'] });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.vectors.length, 2);
    assert.equal(r.body.dimensions, 4);
    assert.equal(r.body.model, 'text-embedding-3-small');
    assert.equal(openai.received.at(-1)!.path, '/v1/embeddings');
  });

  it('reaches Ollama with no key and bills nothing', async () => {
    const r = await s.op('ai.complete', { prompt: 'hi', provider: 'ollama' });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.provider, 'ollama');
    assert.equal(r.body.model, 'llama3.2');
    assert.equal(r.body.costUsd, 0);
    assert.equal(openai.received.at(-1)!.headers.authorization, undefined);
  });

  it('names a provider that cannot be reached', async () => {
    await s.op('ai.providers.set', { provider: 'google', apiKey: 'AIza-test', baseUrl: `http://127.0.0.1:${await closedPort()}/v1beta` });
    const r = await s.op('ai.complete', { prompt: 'hi', provider: 'google' });
    assert.equal(r.status, 502);
    assert.equal(r.body.error.code, 'AI_PROVIDER_ERROR');
    assert.match(r.body.error.message, /google could not be reached/);
    assert.equal((await s.op('ai.providers.remove', { provider: 'google' })).body.removed, true);
  });
});

describe('ai: a key set through every surface stays secret', () => {
  it('never shows the key in data.db, audit, logs, events or any answer, whether set over HTTP, MCP or the CLI', async () => {
    const s = await startServer();
    const keys = { http: 'sk-canary-http-' + 'a1B2c3D4e5F6g7H8', mcp: 'sk-canary-mcp-' + 'i9J8k7L6m5N4o3P2', cli: 'sk-canary-cli-' + 'q1R2s3T4u5V6w7X8' };
    try {
      assert.equal((await s.op('ai.providers.set', { provider: 'openai', apiKey: keys.http })).status, 200);
      const { connect, textOf } = await import('../mcp/client.js');
      const client = await connect(`${s.url}/mcp`, { token: s.token });
      const viaMcp = await client.callTool({ name: 'ai_providers_set', arguments: { provider: 'anthropic', apiKey: keys.mcp } });
      assert.ok(!viaMcp.isError, textOf(viaMcp));
      const listed = await client.callTool({ name: 'ai_providers_list', arguments: {} });
      await client.close();
      // From stdin, so the key is not in the process list.
      const cli = await runCli(['ai', 'providers', 'set', '--provider', 'google', '--api-key', '-', '--json'], { dataDir: s.dataDir, input: keys.cli + '\n' });
      assert.equal(cli.code, 0, cli.stderr);
      const answers = [JSON.stringify(viaMcp), JSON.stringify(listed), cli.stdout, cli.stderr,
        JSON.stringify((await s.op('ai.providers.list', {})).body),
        JSON.stringify((await s.op('audit.query', { limit: 1000 })).body),
        JSON.stringify((await s.op('events.list', {})).body),
        JSON.stringify((await s.op('logs.query', { since: '1h' })).body)];
      s.kernel.audit.flush();
      s.kernel.db.pragma('wal_checkpoint(TRUNCATE)');
      const files = ['data.db', 'data.db-wal'].flatMap((f) => {
        try {
          return [readFileSync(join(s.dataDir, f)).toString('latin1')];
        } catch {
          return [];
        }
      });
      for (const [surface, key] of Object.entries(keys)) {
        for (const text of [...answers, ...files]) assert.ok(!text.includes(key), `the key set over ${surface} leaked`);
      }
      assert.equal(s.kernel.services.secrets.get('ai.google.apiKey'), keys.cli);
    } finally {
      await s.close();
    }
  });
});

describe('ai: a lost master key', () => {
  it('gives a clear error naming the key to set again, not a crash', async () => {
    const first = await startServer();
    const dataDir = first.dataDir;
    assert.equal((await first.op('ai.providers.set', { provider: 'openai', apiKey: 'sk-test-0000000000000000', baseUrl: 'http://127.0.0.1:9/v1' })).status, 200);
    await first.kernel.stop();
    process.env.FAZT_MASTER_KEY = 'ef'.repeat(32);
    const second = await startServer({ dataDir });
    try {
      const r = await second.op('ai.complete', { prompt: 'hi' });
      assert.equal(r.status, 503, JSON.stringify(r.body));
      assert.equal(r.body.error.code, 'SECRET_UNREADABLE');
      assert.match(r.body.error.message, /ai\.openai\.apiKey/);
      assert.match(r.body.error.message, /Set it again/);
    } finally {
      delete process.env.FAZT_MASTER_KEY;
      await second.close();
      first.http.close();
    }
  });
});

describe('ai: the prompt size setting', () => {
  it('refuses a malformed ai.maxPromptChars by name instead of lifting the cap', async () => {
    const s = await startServer({ extra: { 'ai.maxPromptChars': 'lots' } });
    try {
      const r = await s.op('ai.complete', { prompt: 'x'.repeat(300_000) });
      assert.equal(r.status, 400, JSON.stringify(r.body));
      assert.match(r.body.error.message, /ai\.maxPromptChars must be a positive whole number, got 'lots'/);
    } finally {
      await s.close();
    }
  });
});
